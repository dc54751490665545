using ConvGen.Data;
using ConvGen.Layers;
using ConvGen.Samples.PaddingAndStride;
using ConvGen.Training;
using LanguageExt;

namespace ConvGen.Tests.Composition;

/// <summary>
/// Notebook 001's search over architectures, which it wrote out as four <c>nn.Module</c> classes by hand, as a list of
/// layer lists composed at run time: each is checked, trained and evaluated in one loop, and the best kept. A fifth
/// candidate sized from the notebook's comment ("reduction to 20x20", where the layer really gives 19x19) is refused
/// naming its layer. The generated twins in samples/PaddingAndStride are the truth for the four that fit.
/// </summary>
public sealed class NotebookSearchTests
{
    private static readonly (int, int, int) FashionMnist = (1, 28, 28);

    private static readonly (string Name, Layer[] Layers)[] Candidates =
    [
        (nameof(BasicConvNet), [new Conv2d(1) { Kernel = 15 }, new ReLU(), new Conv2d(1) { Kernel = 5 }, new ReLU(), new Flatten(), new Linear(100, 10)]),
        (nameof(ConvNetPadding), [new Conv2d(1) { Kernel = 14, Padding = 1 }, new ReLU(), new Conv2d(1) { Kernel = 10, Padding = 1 }, new ReLU(), new Flatten(), new Linear(100, 10)]),
        (nameof(ConvNetDeeperPadding),
        [
            new Conv2d(1) { Kernel = 14, Padding = 2 }, new ReLU(), new Conv2d(1) { Kernel = 10, Padding = 2 }, new ReLU(),
            new Conv2d(1) { Kernel = 9, Padding = 2 }, new ReLU(), new Flatten(), new Linear(100, 10),
        ]),
        (nameof(ConvNetPaddingStride),
        [
            new Conv2d(1) { Kernel = 14, Padding = 2 }, new ReLU(), new Conv2d(1) { Kernel = 8, Padding = 2 }, new ReLU(),
            new Conv2d(1) { Kernel = 5, Padding = 2, Stride = 2 }, new ReLU(), new Flatten(), new Linear(64, 10),
        ]),
        ("TwentyByTwenty", [new Conv2d(1) { Kernel = 14, Padding = 2 }, new ReLU(), new Flatten(), new Linear(400, 10)]),
    ];

    [Fact]
    public void TheSearchTrainsTheFourThatFitAndNamesTheLayerOfTheOneThatDoesNot()
    {
        (Dataset train, Dataset test) = Load();
        var options = new TrainingOptions(Epochs: 1, BatchSize: 128, new Adam(0.005f), Seed: 1);

        var outcomes = Candidates.Select(candidate =>
            from network in Sequential.Create(FashionMnist, candidate.Layers, candidate.Name).ToEither().MapLeft(errors => string.Join("\n", errors))
            from trained in Trainer.Fit(network.Initialize(options.Seed), train, options).MapLeft(error => error.Message)
            select (candidate.Name, trained.Model, Evaluation.Evaluate(trained.Model, test))).ToList();

        Assert.Equal(
            "layers[3] Linear 'fc1' declares 400 in-features but receives 361: 1x28x28 -> conv1 1x19x19 -> relu1 1x19x19 -> flatten 361",
            outcomes[^1].Match(Right: _ => "trained", Left: error => error));
        var trainedOnes = outcomes.SelectMany(outcome => outcome.RightToSeq()).ToList();
        Assert.Equal(Candidates[..4].Select(candidate => candidate.Name), trainedOnes.Select(outcome => outcome.Name));

        // Each is the generated network of the sample, trained the same way: the same weights, the same test result.
        AssertTrainedAsGenerated<BasicConvNet>(trainedOnes[0], train, test, options);
        AssertTrainedAsGenerated<ConvNetPadding>(trainedOnes[1], train, test, options);
        AssertTrainedAsGenerated<ConvNetDeeperPadding>(trainedOnes[2], train, test, options);
        AssertTrainedAsGenerated<ConvNetPaddingStride>(trainedOnes[3], train, test, options);
        var best = trainedOnes.MaxBy(outcome => outcome.Item3.Accuracy);
        Assert.True(best.Item3.Accuracy > 0.3f, $"the best of the four, {best.Name}, reached only {best.Item3.Accuracy:P1} after one short epoch");
    }

    [Fact]
    public void TheSummariesShowTheTrueSizesAsTheGeneratedOnesDo()
    {
        string[] summaries = Candidates[..4].Select(candidate => EquivalentNetworks.Build(FashionMnist, candidate.Name, candidate.Layers).Summary()).ToArray();

        Assert.Equal([BasicConvNet.SummaryText, ConvNetPadding.SummaryText, ConvNetDeeperPadding.SummaryText, ConvNetPaddingStride.SummaryText], summaries);
        Assert.Contains("conv1 (Conv2d)     1x19x19", summaries[2]);
    }

    private static void AssertTrainedAsGenerated<TNet>((string Name, SequentialNetwork Model, EvaluationResult Test) composed, Dataset train, Dataset test, TrainingOptions options)
        where TNet : class, INetwork<TNet>
    {
        TNet generated = Trainer.Fit(TNet.Initialize(options.Seed), train, options).Match(Right: result => result.Model, Left: error => throw new InvalidOperationException(error.Message));
        BitAssert.Identical(generated.Parameters.Values, composed.Model.Parameters.Values, $"{composed.Name} after one epoch");
        Assert.Equal(Evaluation.Evaluate(generated, test).Correct, composed.Test.Correct);
    }

    // A slice of the real data keeps the test short; the seed fixes which images.
    private static (Dataset Train, Dataset Test) Load()
    {
        (Dataset train, Dataset test) = IdxDataset.Load(SharedData.Folder("fashion-mnist"), DatasetSource.FashionMnist)
            .Match(Right: data => data, Left: error => throw new InvalidOperationException(error.Message));
        return (train.Select(Dataset.Permutation(train.Count, 1).AsSpan(0, 2048)), test.Select(Dataset.Permutation(test.Count, 2).AsSpan(0, 1000)));
    }
}
