using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>Per-channel statistics and normalisation against hand-computed values.</summary>
public sealed class DatasetChannelTests
{
    // Two samples of 2x1x2: channel 0 holds 1, 3 then 5, 7; channel 1 holds 10, 10 then 20, 30.
    private static readonly Dataset Data = Dataset.Create("pairs", [1, 3, 10, 10, 5, 7, 20, 30], [0, 1], channels: 2, height: 1, width: 2, classes: 2)
        .Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));

    [Fact]
    public void StatisticsAreEachChannelsPopulationMeanAndDeviation()
    {
        (float[] mean, float[] std) = Data.ChannelStatistics();

        // Channel 0: mean 4, squared deviations 9, 1, 1, 9; channel 1: mean 17.5, squared deviations 56.25, 56.25, 6.25, 156.25.
        Assert.Equal([4f, 17.5f], mean);
        Assert.Equal([(float)Math.Sqrt(20.0 / 4), (float)Math.Sqrt(275.0 / 4)], std);
    }

    [Fact]
    public void EachChannelIsNormalizedByItsOwnMeanAndDeviation()
    {
        Dataset normalized = Data.Normalize([4f, 17.5f], [2f, 5f]).Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal([-1.5f, -0.5f, -1.5f, -1.5f, 0.5f, 1.5f, 0.5f, 2.5f], normalized.Images.ToArray());
        Assert.Equal([1f, 3f, 10f, 10f, 5f, 7f, 20f, 30f], Data.Images.ToArray());
        Assert.Equal([0, 1], normalized.Labels.ToArray());
    }

    [Fact]
    public void NormalizingByTheStatisticsGivesZeroMeanAndUnitDeviation()
    {
        (float[] mean, float[] std) = Data.ChannelStatistics();
        Dataset normalized = Data.Normalize(mean, std).Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));

        (float[] newMean, float[] newStd) = normalized.ChannelStatistics();

        Assert.All(newMean, value => Assert.Equal(0f, value, 6));
        Assert.All(newStd, value => Assert.Equal(1f, value, 6));
    }

    [Theory]
    [InlineData(new[] { 0f }, new[] { 1f, 1f }, "pairs: normalizing 2 channels needs 2 means and 2 standard deviations, got 1 and 2.")]
    [InlineData(new[] { 0f, 0f }, new[] { 1f, 0f }, "pairs: normalizing needs finite means and positive, finite standard deviations, got mean 0 and std 0 for channel 1.")]
    [InlineData(new[] { float.NaN, 0f }, new[] { 1f, 1f }, "pairs: normalizing needs finite means and positive, finite standard deviations, got mean NaN and std 1 for channel 0.")]
    [InlineData(new[] { 0f, 0f }, new[] { float.PositiveInfinity, 1f }, "pairs: normalizing needs finite means and positive, finite standard deviations, got mean 0 and std Infinity for channel 0.")]
    public void BadStatisticsAreRefused(float[] mean, float[] std, string message)
    {
        Assert.Equal(message, Data.Normalize(mean, std).Match(Right: _ => "normalized", Left: error => error.Message));
    }
}
