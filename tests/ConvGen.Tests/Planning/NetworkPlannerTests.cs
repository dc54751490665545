using ConvGen.Layers;
using ConvGen.Planning;

namespace ConvGen.Tests.Planning;

/// <summary>
/// The planner both front ends share, as the pure function it is: declarations built in code, no compilation. Shapes
/// and figures are PyTorch 1.13's for the same layers (noted per case) or hand-computed.
/// </summary>
public sealed class NetworkPlannerTests
{
    private static readonly LayerSpec Relu = new(LayerKind.ReLU);
    private static readonly LayerSpec Flatten = new(LayerKind.Flatten);

    [Fact]
    public void NotebookMnist() => AssertShapes(
        [Conv(32, kernel: 5, padding: 2), Relu, Pool(2), Conv(64, kernel: 5, padding: 2), Relu, Pool(2), Flatten, Linear(3136, 1024), Relu, Dropout(0.5), Linear(1024, 10)],
        "32x28x28", "32x28x28", "32x14x14", "64x14x14", "64x14x14", "64x7x7", "3136", "1024", "1024", "1024", "10");

    [Fact]
    public void LeNet5WithAveragePooling() => AssertShapes(
        [Conv(6, kernel: 5, padding: 2), Pool(2, LayerKind.AvgPool2d), Conv(16, kernel: 5), Pool(2, LayerKind.AvgPool2d), Flatten, Linear(400, 120), Linear(120, 84), Linear(84, 10)],
        "6x28x28", "6x14x14", "16x10x10", "16x5x5", "400", "120", "84", "10");

    [Fact]
    public void StridedConvolutionAndOverlappingPooling() => AssertShapes(
        [Conv(8, kernel: 2, stride: 2, padding: 1), Pool(3, stride: 2, padding: 1), Flatten, Linear(512, 2)],
        "8x15x15", "8x8x8", "512", "2");

    // Shapes from torch 1.13 on a 1x28x28 input: F.conv2d(..., dilation=2, groups=...), padding='same', ceil_mode=True,
    // adaptive_avg_pool2d.
    [Fact]
    public void DilationGroupsSamePaddingCeilModeAndAdaptivePooling() => AssertShapes(
        [
            Conv(8, kernel: 3) with { Dilation = 2 },
            Conv(8, kernel: 3) with { Groups = 4, PaddingMode = "same" },
            Conv(16, kernel: 5) with { PaddingMode = "same", Groups = 8 },
            Pool(3, stride: 2) with { CeilMode = true },
            Conv(16, kernel: 1) with { Kernel = (3, 1), PaddingMode = "valid" },
            new LayerSpec(LayerKind.AdaptiveAvgPool2d) { OutputSize = (5, 3) },
            Flatten,
        ],
        "8x24x24", "8x24x24", "16x24x24", "16x12x12", "16x10x12", "16x5x3", "240");

    [Fact]
    public void StopsAtTheFirstLayerThatCannotBeInferred()
    {
        PlannedNetwork plan = Plan([Conv(4, kernel: 3), Conv(4, kernel: 30), Flatten]);

        Assert.True(plan.HasErrors);
        Assert.Equal(["CG0002"], plan.Diagnostics.Select(diagnostic => diagnostic.Id));
        Assert.Equal(["4x26x26"], plan.Layers.Select(layer => layer.Output.ToString()));
        // The problem names the argument at fault, the kernel's height first, then the square kernel.
        Assert.Equal((1, "KernelHeight", "Kernel"), (plan.Diagnostics[0].Layer, plan.Diagnostics[0].Argument, plan.Diagnostics[0].FallbackArgument));
        Assert.Equal("Conv2d 'layer1' declares kernel 30 but receives a padded height and width of 26, so its output height and width would be -3: 1x28x28 -> layer0 4x26x26", plan.Diagnostics[0].Message);
    }

    // Shapes from torch 1.13 on a (1, 2, 100) input: nn.Conv1d with stride, dilation, groups and padding='same', then
    // softmax and log-softmax over dim 1, which keep the shape.
    [Fact]
    public void SequenceThroughConv1dSoftmaxAndTheFlatLayers()
    {
        LayerSpec[] layers =
        [
            Conv1d(16, kernel: 5, stride: 2, padding: 2),
            new LayerSpec(LayerKind.Softmax),
            Conv1d(16, kernel: 3) with { Dilation = (1, 2), Groups = 4, PaddingMode = "same" },
            Conv1d(8, kernel: 4) with { PaddingMode = "valid" },
            Relu,
            Flatten,
            Linear(376, 4),
            new LayerSpec(LayerKind.LogSoftmax),
        ];

        PlannedNetwork plan = NetworkPlanner.Plan("Net", new NetworkInput(2, 0, 0, InputLength: 100), Named(layers));

        Assert.Empty(plan.Diagnostics);
        Assert.Equal(["16x50", "16x50", "16x50", "8x47", "8x47", "376", "4", "4"], plan.Layers.Select(layer => layer.Output.ToString()));
        Assert.True(plan.Layers[0].Output.IsSequence);
        // PyTorch's Conv1d weight is (out, in/groups, k).
        Assert.Equal([16L, 2, 5], plan.Layers[0].Tensors[0].Spec.Shape);
    }

    // The notebook network's layout, as torch's state_dict() lists it, and its figures, computed by hand:
    // conv1 32*1*25 + 32 = 832 values, conv2 64*32*25 + 64 = 51,264, fc1 3136*1024 + 1024, fc2 1024*10 + 10.
    [Fact]
    public void TensorsFollowStateDictOrderWithTheirOffsets()
    {
        PlannedNetwork plan = Plan(
            [Conv(32, kernel: 5, padding: 2), Relu, Pool(2), Conv(64, kernel: 5, padding: 2), Relu, Pool(2), Flatten, Linear(3136, 1024), Relu, Dropout(0.5), Linear(1024, 10)]);

        Assert.Equal(
            ["layer0.weight", "layer0.bias", "layer3.weight", "layer3.bias", "layer7.weight", "layer7.bias", "layer10.weight", "layer10.bias"],
            plan.Tensors.Select(tensor => tensor.Key));
        Assert.Equal([0L, 800, 832, 52032, 52096, 3263360, 3264384, 3274624], plan.Tensors.Select(tensor => tensor.Offset));
        Assert.Equal(3274634, plan.ParameterCount);
        Assert.Equal(plan.ParameterCount, plan.TrainableCount);
        // conv1: 32*28*28 outputs of 25 multiply-adds; conv2: 64*14*14 of 32*25; the linear layers in*out.
        Assert.Equal(32L * 28 * 28 * 25 + 64L * 14 * 14 * 32 * 25 + 3136L * 1024 + 1024L * 10, plan.MultiplyAdds);
        // conv1 (on the fast kernel) writes relu1 itself; pool1 does relu1's backward pass, and pool2 relu2's.
        Assert.Equal(LayerKind.ReLU, plan.Layers[0].AppliesFollowing);
        Assert.True(plan.Layers[1].AppliedByPrevious);
        Assert.True(plan.Layers[1].BackwardAppliedByNext);
        Assert.Equal(LayerKind.ReLU, plan.Layers[2].AppliesPreviousBackward);
        Assert.True(plan.Layers[4].BackwardAppliedByNext);
        Assert.Equal(LayerKind.ReLU, plan.Layers[5].AppliesPreviousBackward);
        // Receptive field: 5, then the pool widens by one jump and doubles it, conv2 by 4 jumps of 2.
        Assert.Equal((5L, 1L), (plan.Layers[0].ReceptiveField!.Value.Height, plan.Layers[0].ReceptiveField!.Value.JumpHeight));
        Assert.Equal((6L, 2L), (plan.Layers[2].ReceptiveField!.Value.Height, plan.Layers[2].ReceptiveField!.Value.JumpHeight));
        Assert.Equal((14L, 2L), (plan.Layers[3].ReceptiveField!.Value.Height, plan.Layers[3].ReceptiveField!.Value.JumpHeight));
        Assert.Null(plan.Layers[6].ReceptiveField);
    }

    [Fact]
    public void AnActivationBeforeTheFirstLearnedLayerKeepsItsBackwardPass()
    {
        // Nothing runs backward before conv1 (index 2): the ReLU's backward pass is never run, so the pool is not given it.
        PlannedNetwork plan = Plan([Relu, Pool(2), Conv(2, kernel: 3), Relu, Pool(2), Flatten, Linear(2 * 6 * 6, 2)]);

        Assert.False(plan.Layers[0].BackwardAppliedByNext);
        Assert.Null(plan.Layers[1].AppliesPreviousBackward);
        Assert.True(plan.Layers[3].BackwardAppliedByNext);
        Assert.Equal(2, plan.FirstLearnedLayer);
    }

    [Fact]
    public void BatchNormBuffersFollowEveryLearnedValue()
    {
        PlannedNetwork plan = Plan([Conv(4, kernel: 3), new LayerSpec(LayerKind.BatchNorm2d), Flatten, Linear(4 * 26 * 26, 2)]);

        Assert.Equal(
            ["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "layer3.weight", "layer3.bias", "layer1.running_mean", "layer1.running_var", "layer1.num_batches_tracked"],
            plan.Tensors.Select(tensor => tensor.Key));
        long learned = 4 * 9 + 4 + 4 + 4 + 2704 * 2 + 2;
        Assert.Equal(learned, plan.TrainableCount);
        Assert.Equal(learned + 4 + 4 + 1, plan.ParameterCount);
        Assert.Equal(learned, plan.Layers[1].BufferStart);
    }

    [Fact]
    public void DefaultNamesArePyTorchStyleAndAGivenNameTwiceIsAnError()
    {
        PlannedNetwork plan = NetworkPlanner.Plan("Net", new NetworkInput(1, 8, 8), [Conv(2, kernel: 3), Relu, Conv(2, kernel: 3), Flatten, Linear(32, 2) with { Name = "conv2" }]);

        Assert.Equal(["conv1", "relu1", "conv2", "flatten", "conv2"], plan.Layers.Select(layer => layer.Name));
        PlanDiagnostic duplicate = Assert.Single(plan.Diagnostics);
        Assert.Equal(("CG0013", 4, "Name"), (duplicate.Id, duplicate.Layer, duplicate.Argument));
    }

    [Fact]
    public void AMismatchCarriesTheValueAFixWritesAndTheSitesThatDecidedIt()
    {
        PlannedNetwork plan = Plan([Conv(4, kernel: 3), Pool(2), Flatten, Linear(100, 2)]);

        PlanDiagnostic mismatch = Assert.Single(plan.Diagnostics);
        Assert.Equal(("CG0001", "InFeatures", "676"), (mismatch.Id, mismatch.Argument, mismatch.InferredValue));
        // The pool decided the size and the Flatten passed it on.
        Assert.Equal([new PlanSite(1, null), new PlanSite(2, null)], mismatch.Sources);
    }

    private static void AssertShapes(LayerSpec[] layers, params string[] shapes)
    {
        PlannedNetwork plan = Plan(layers);
        Assert.Empty(plan.Diagnostics);
        Assert.False(plan.HasErrors);
        Assert.Equal(shapes, plan.Layers.Select(layer => layer.Output.ToString()));
    }

    // A 1x28x28 input; layers named by position so the duplicate-name check stays quiet.
    private static PlannedNetwork Plan(LayerSpec[] layers) => NetworkPlanner.Plan("Net", new NetworkInput(1, 28, 28), Named(layers));

    private static LayerSpec[] Named(LayerSpec[] layers) => [.. layers.Select((layer, index) => layer with { Name = "layer" + index })];

    // As the parser reads a Conv1d: a height-1 Conv2d.
    private static LayerSpec Conv1d(int outChannels, int kernel, int stride = 1, int padding = 0) =>
        new(LayerKind.Conv1d) { OutChannels = outChannels, Kernel = (1, kernel), Stride = (1, stride), Padding = (0, padding) };

    private static LayerSpec Conv(int outChannels, int kernel, int stride = 1, int padding = 0) =>
        new(LayerKind.Conv2d) { OutChannels = outChannels, Kernel = kernel, Stride = stride, Padding = padding };

    private static LayerSpec Pool(int kernel, LayerKind kind = LayerKind.MaxPool2d, int? stride = null, int padding = 0) =>
        new(kind) { Kernel = kernel, Stride = stride ?? kernel, Padding = padding };

    private static LayerSpec Linear(int inFeatures, int outFeatures) => new(LayerKind.Linear) { InFeatures = inFeatures, OutFeatures = outFeatures };

    private static LayerSpec Dropout(double probability) => new(LayerKind.Dropout) { Probability = probability };
}
