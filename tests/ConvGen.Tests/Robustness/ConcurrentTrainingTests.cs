using ConvGen.Data;
using ConvGen.Training;

namespace ConvGen.Tests.Robustness;

/// <summary>Two runs on two threads at once share the kernels' worker pool and scratch: each must give what it gives alone.</summary>
public sealed class ConcurrentTrainingTests
{
    [Fact]
    public async Task TwoModelsTrainingAtOnceGiveTheSameWeightsAsEachAlone()
    {
        (Dataset train, _) = DigitsData.LoadEmbedded().Split(0.8, seed: 5);
        var first = new TrainingOptions(Epochs: 1, BatchSize: 32, new Adam(1e-2f), Seed: 1);
        var second = new TrainingOptions(Epochs: 1, BatchSize: 16, new Sgd(0.05f, Momentum: 0.9f), Seed: 2);

        float[] firstAlone = Train(TinyDigitsNet.Initialize(4), train, first);
        float[] secondAlone = Train(global::ConvGen.Samples.Digits.DigitsNet.Initialize(3), train, second);

        Task<float[]> firstTogether = Task.Run(() => Train(TinyDigitsNet.Initialize(4), train, first));
        Task<float[]> secondTogether = Task.Run(() => Train(global::ConvGen.Samples.Digits.DigitsNet.Initialize(3), train, second));

        Assert.Equal(firstAlone, await firstTogether);
        Assert.Equal(secondAlone, await secondTogether);
    }

    private static float[] Train<TNet>(TNet model, Dataset train, TrainingOptions options)
        where TNet : class, INetwork<TNet> =>
        Trainer.Fit(model, train, options)
            .Match(Right: result => result.Model.Parameters.Values.ToArray(), Left: error => throw new InvalidOperationException(error.Message));
}
