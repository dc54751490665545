using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary><c>Take</c> and <c>Skip</c> on a dataset: LINQ's meaning, checked on five 1x1x2 samples whose pixels name them.</summary>
public sealed class DatasetSlicingTests
{
    // Sample i has pixels (10 i, 10 i + 1) and label i % 3.
    private static readonly Dataset Five = Dataset.Create("five", [0, 1, 10, 11, 20, 21, 30, 31, 40, 41], [0, 1, 2, 0, 1], 1, 1, 2, 3)
        .Match(Right: dataset => dataset, Left: error => throw new InvalidOperationException(error.Message));

    [Fact]
    public void TakeKeepsTheFirstSamplesInOrder()
    {
        Dataset first = Five.Take(2);

        Assert.Equal([0f, 1, 10, 11], first.Images.ToArray());
        Assert.Equal([0, 1], first.Labels.ToArray());
        Assert.Equal("1x1x2", first.SampleShapeText);
        Assert.Equal(3, first.Classes);
    }

    [Fact]
    public void SkipKeepsTheSamplesAfterTheFirstInOrder()
    {
        Dataset rest = Five.Skip(3);

        Assert.Equal([30f, 31, 40, 41], rest.Images.ToArray());
        Assert.Equal([0, 1], rest.Labels.ToArray());
    }

    [Theory]
    [InlineData(-1, 0, 5)]
    [InlineData(0, 0, 5)]
    [InlineData(5, 5, 0)]
    [InlineData(2000, 5, 0)]
    public void CountsPastEitherEndAreClampedAsLinqClampsThem(int count, int taken, int left)
    {
        Assert.Equal(taken, Five.Take(count).Count);
        Assert.Equal(left, Five.Skip(count).Count);
        Assert.Equal(Enumerable.Range(0, 5).Take(count).ToArray(), Five.Take(count).Images.ToArray().Where((_, i) => i % 2 == 0).Select(pixel => (int)pixel / 10).ToArray());
    }

    [Fact]
    public void TakeAndSkipLeaveTheOriginalUnchanged()
    {
        _ = Five.Take(1);
        _ = Five.Skip(1);

        Assert.Equal(5, Five.Count);
        Assert.Equal(41f, Five.Images[9]);
    }
}
