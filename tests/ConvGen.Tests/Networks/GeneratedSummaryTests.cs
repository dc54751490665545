using ConvGen.Samples.Digits;

namespace ConvGen.Tests.Networks;

/// <summary>
/// The generated summary of compiled networks: <c>Summary()</c>, rendered at run time from <c>Layout.Layers</c>, is the
/// compile-time <c>SummaryText</c>; and a sequence network's layout is what PyTorch 1.13 gives for the same
/// <c>nn.Sequential</c> (output shapes, <c>state_dict()</c> keys and shapes, parameter count, printed once and written here).
/// </summary>
public sealed class GeneratedSummaryTests
{
    public static TheoryData<string, string, string> Networks => new()
    {
        { nameof(DigitsNet), DigitsNet.Summary(), DigitsNet.SummaryText },
        { nameof(EveryLayerNet), EveryLayerNet.Summary(), EveryLayerNet.SummaryText },
        { nameof(EveryOptionNet), EveryOptionNet.Summary(), EveryOptionNet.SummaryText },
        { nameof(ActivationNet), ActivationNet.Summary(), ActivationNet.SummaryText },
        { nameof(SequenceNet), SequenceNet.Summary(), SequenceNet.SummaryText },
        { nameof(SoftmaxNet), SoftmaxNet.Summary(), SoftmaxNet.SummaryText },
        { nameof(BatchNormNet), BatchNormNet.Summary(), BatchNormNet.SummaryText },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void SummaryMethodRendersTheCompileTimeText(string network, string rendered, string constant)
    {
        Assert.False(string.IsNullOrEmpty(constant), network);
        Assert.Equal(constant, rendered);
    }

    [Fact]
    public void SequenceNetworkLayoutIsPyTorchs()
    {
        NetworkLayout layout = SequenceNet.Layout;
        Assert.Equal([2, 20], layout.InputShape.ToArray());
        Assert.Equal(20, SequenceNet.InputLength);
        Assert.Equal(
            ["conv1 4x10", "relu1 4x10", "conv2 4x10", "tanh1 4x10", "conv3 6x10", "softmax1 6x10", "flatten 60", "fc1 5", "relu2 5", "dropout1 5", "fc2 3", "logsoftmax1 3"],
            layout.Layers.Select(layer => layer.Name + " " + layer.OutputShapeText));
        Assert.Equal(
            ["conv1.weight (4, 2, 3)", "conv1.bias (4)", "conv2.weight (4, 2, 3)", "conv2.bias (4)", "conv3.weight (6, 4, 2)", "fc1.weight (5, 60)", "fc1.bias (5)", "fc2.weight (3, 5)", "fc2.bias (3)"],
            layout.Parameters.Select(parameter => parameter.Name + " " + parameter.ShapeText));
        Assert.Equal(427, layout.ParameterCount);
        // The summary prints a sequence as C x L and its receptive field along the length alone: conv1's kernel 3 at
        // stride 2 sees 3 steps, 2 apart; conv2's kernel 3 dilated by 2 spans 5, adding (5 - 1) jumps of 2; conv3's kernel 2 adds one.
        string[] conv1 = SequenceNet.SummaryText.Split('\n').Single(line => line.StartsWith("conv1 (Conv1d)", StringComparison.Ordinal))
            .Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["conv1 (Conv1d)", "4x10", "28", "240", "3 / 2", "160 B"], conv1); // 40 outputs of 2 x 3 taps
        Assert.Equal(["3 / 2", "3 / 2", "11 / 2", "11 / 2", "13 / 2", "13 / 2"], layout.Layers.Take(6).Select(layer => FieldText(layer.ReceptiveField!)));
    }

    private static string FieldText(ReceptiveField field)
    {
        Assert.Equal((1, 1), (field.Height, field.JumpHeight));
        return field.Width + " / " + field.JumpWidth;
    }
}
