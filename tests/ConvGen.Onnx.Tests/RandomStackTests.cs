namespace ConvGen.Onnx.Tests;

/// <summary>Random valid layer stacks, exported, give ConvGen's outputs in ONNX Runtime.</summary>
public sealed class RandomStackTests
{
    private const int StackCount = 100;

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, StackCount)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_stack_runs_in_OnnxRuntime_as_in_ConvGen(int seed) =>
        OnnxRuntimeCheck.ExportMatches(RandomStacks.Draw(seed), seed);

    [Fact]
    public void Random_stacks_cover_every_layer_kind()
    {
        // A generator that stopped drawing some kind would leave it untested without a word.
        var kinds = Enumerable.Range(0, StackCount).SelectMany(seed => RandomStacks.Draw(seed).Layers).Select(layer => layer.GetType().Name).ToHashSet();
        Assert.Equal(
            ["AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm2d", "Conv1d", "Conv2d", "Dropout", "ELU", "Flatten", "LeakyReLU", "Linear", "LogSoftmax", "MaxPool2d", "ReLU", "Sigmoid", "Softmax", "Tanh"],
            kinds.Order());
    }
}
