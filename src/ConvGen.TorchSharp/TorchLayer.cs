using ConvGen.Layers;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// One layer value as a torch module with the same hyperparameters, and the zeros to add before it when the layer pads
/// more on one side than the other (PyTorch's "same" with an even kernel puts the extra zero after).
/// </summary>
/// <param name="Module">The module; its parameters take the layer's <c>state_dict()</c> names under the node's name.</param>
/// <param name="Padding">For <c>functional.pad</c>: left, right (then top, bottom), or null when the module pads itself.</param>
internal sealed record TorchLayer(nn.Module<Tensor, Tensor> Module, long[]? Padding)
{
    /// <summary>The torch counterpart of <paramref name="layer"/>, or null for a kind this version does not know.</summary>
    public static TorchLayer? Of(Layer layer) => layer switch
    {
        Layers.Conv2d conv => Convolution(conv),
        Layers.Conv1d conv => Convolution(conv),
        Layers.MaxPool2d pool => new(nn.MaxPool2d(Pair(pool.Kernel), Pair(pool.EffectiveStride), Pair(pool.Padding), ceil_mode: pool.CeilMode), null),
        Layers.AvgPool2d pool => new(nn.AvgPool2d(Pair(pool.Kernel), Pair(pool.EffectiveStride), Pair(pool.Padding), ceil_mode: pool.CeilMode, count_include_pad: pool.CountIncludePad), null),
        Layers.AdaptiveAvgPool2d pool => new(nn.AdaptiveAvgPool2d(Pair(pool.OutputSize)), null),
        GlobalAvgPool2d => new(nn.AdaptiveAvgPool2d((1L, 1L)), null),
        Layers.ReLU => new(nn.ReLU(), null),
        Layers.LeakyReLU leaky => new(nn.LeakyReLU(leaky.NegativeSlope), null),
        Layers.Sigmoid => new(nn.Sigmoid(), null),
        Layers.Tanh => new(nn.Tanh(), null),
        Layers.ELU elu => new(nn.ELU(elu.Alpha), null),
        // Over dim 1: the features of a flat sample, the channels at each position of planes or sequences.
        Layers.Softmax => new(nn.Softmax(1), null),
        Layers.LogSoftmax => new(nn.LogSoftmax(1), null),
        Layers.Flatten => new(nn.Flatten(), null),
        Layers.Linear linear => new(nn.Linear(linear.InFeatures, linear.OutFeatures, hasBias: linear.Bias), null),
        Layers.Dropout dropout => new(nn.Dropout(dropout.Probability), null),
        Layers.BatchNorm2d norm when norm.NumFeatures is int features => new(nn.BatchNorm2d(features, norm.Eps, norm.Momentum), null),
        _ => null,
    };

    private static TorchLayer Convolution(Layers.Conv2d conv)
    {
        (AxisPair before, AxisPair after) = conv.ResolvedPadding();
        bool even = before == after;
        var module = nn.Conv2d(
            conv.InChannels ?? throw new ArgumentException("An architecture's Conv2d has its in-channels resolved.", nameof(conv)), conv.OutChannels,
            Pair(conv.Kernel), Pair(conv.Stride), even ? Pair(before) : (0L, 0L), Pair(conv.Dilation), groups: conv.Groups, bias: conv.Bias);
        return new(module, even ? null : [before.Width, after.Width, before.Height, after.Height]);
    }

    private static TorchLayer Convolution(Layers.Conv1d conv)
    {
        (int before, int after) = conv.ResolvedPadding();
        bool even = before == after;
        var module = nn.Conv1d(
            conv.InChannels ?? throw new ArgumentException("An architecture's Conv1d has its in-channels resolved.", nameof(conv)), conv.OutChannels,
            conv.Kernel, conv.Stride, even ? before : 0, conv.Dilation, groups: conv.Groups, bias: conv.Bias);
        return new(module, even ? null : [before, after]);
    }

    private static (long, long) Pair(AxisPair pair) => (pair.Height, pair.Width);
}
