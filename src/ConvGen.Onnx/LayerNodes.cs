using System.Collections.Immutable;
using ConvGen.Layers;
using LanguageExt;
using Onnx;
using static ConvGen.Onnx.OnnxAttribute;
using static LanguageExt.Prelude;

namespace ConvGen.Onnx;

/// <summary>
/// Each layer kind as ONNX operators (opset 17), computing what ConvGen's evaluation-mode forward pass computes:
/// padding resolved to explicit pads ("same" with an even kernel puts the extra zero after, as PyTorch), pooling's
/// ceil mode and <c>count_include_pad</c> as declared, batch norm in inference form, softmax over dim 1 (opset 13 or
/// later: before it, ONNX flattened the trailing axes), Linear as <c>Gemm</c> with <c>transB = 1</c>.
/// </summary>
internal static class LayerNodes
{
    /// <summary>Whether <paramref name="layer"/> leaves its input as it is at inference, so it needs no node: dropout.</summary>
    public static bool PassesThrough(Layer layer) => layer is Dropout;

    /// <summary>Adds the nodes that compute <paramref name="node"/> from <paramref name="inputs"/> into the value <paramref name="output"/>.</summary>
    public static Either<ConvGenError, Unit> Add(OnnxGraph graph, LayerParameters parameters, ArchitectureNode node, ImmutableArray<string> inputs, string output)
    {
        if (inputs.Length != 1)
        {
            return Left<ConvGenError, Unit>(ExportErrors.InputCount(node, 1));
        }

        string input = inputs[0];
        Unit Unary(string operatorType, params AttributeProto[] attributes) => graph.AddNode(operatorType, node.Name, [input], output, attributes);

        return node.Layer switch
        {
            Conv2d conv => RequireRank(node, 3, "C x H x W planes").Bind(_ => Convolution2d(graph, parameters, node, conv, input, output)),
            Conv1d conv => RequireRank(node, 2, "a C x L sequence").Bind(_ => Convolution1d(graph, parameters, node, conv, input, output)),
            MaxPool2d pool => RequireRank(node, 3, "C x H x W planes").Map(_ => Unary("MaxPool", Window(pool))),
            AvgPool2d pool => RequireRank(node, 3, "C x H x W planes").Map(_ => Unary("AveragePool", [.. Window(pool), Int("count_include_pad", pool.CountIncludePad ? 1 : 0)])),
            AdaptiveAvgPool2d => RequireRank(node, 3, "C x H x W planes").Map(_ => AdaptiveAveraging.Add(graph, node, input, output)),
            GlobalAvgPool2d => RequireRank(node, 3, "C x H x W planes").Map(_ => Unary("GlobalAveragePool")),
            ReLU => Unary("Relu"),
            LeakyReLU leaky => Unary("LeakyRelu", Float("alpha", leaky.NegativeSlope)),
            Sigmoid => Unary("Sigmoid"),
            Tanh => Unary("Tanh"),
            ELU elu => Unary("Elu", Float("alpha", elu.Alpha)),
            Softmax => Unary("Softmax", Int("axis", 1)),
            LogSoftmax => Unary("LogSoftmax", Int("axis", 1)),
            Flatten => Unary("Flatten", Int("axis", 1)),
            Dropout => Unary("Identity"),
            Linear linear => parameters.Add(node, ("weight", [linear.OutFeatures, linear.InFeatures]), linear.Bias ? ("bias", [linear.OutFeatures]) : null)
                .Map(tensors => graph.AddNode("Gemm", node.Name, [input, .. tensors], output, Int("transB", 1))),
            BatchNorm2d norm => RequireRank(node, 3, "C x H x W planes").Bind(_ => BatchNormalization(graph, parameters, node, norm, input, output)),
            _ => Left<ConvGenError, Unit>(ExportErrors.NoOnnxForm(node)),
        };
    }

    private static Either<ConvGenError, Unit> Convolution2d(OnnxGraph graph, LayerParameters parameters, ArchitectureNode node, Conv2d conv, string input, string output)
    {
        (AxisPair before, AxisPair after) = conv.ResolvedPadding();
        int[] weight = [conv.OutChannels, node.InputShape[0] / conv.Groups, conv.Kernel.Height, conv.Kernel.Width];
        return parameters.Add(node, ("weight", weight), conv.Bias ? ("bias", [conv.OutChannels]) : null).Map(tensors => graph.AddNode(
            "Conv", node.Name, [input, .. tensors], output,
            Ints("kernel_shape", conv.Kernel.Height, conv.Kernel.Width),
            Ints("strides", conv.Stride.Height, conv.Stride.Width),
            Ints("pads", before.Height, before.Width, after.Height, after.Width),
            Ints("dilations", conv.Dilation.Height, conv.Dilation.Width),
            Int("group", conv.Groups)));
    }

    // ONNX's Conv takes any number of spatial axes: a sequence is one, with PyTorch's (out, in/groups, k) weight as it is.
    private static Either<ConvGenError, Unit> Convolution1d(OnnxGraph graph, LayerParameters parameters, ArchitectureNode node, Conv1d conv, string input, string output)
    {
        (int before, int after) = conv.ResolvedPadding();
        int[] weight = [conv.OutChannels, node.InputShape[0] / conv.Groups, conv.Kernel];
        return parameters.Add(node, ("weight", weight), conv.Bias ? ("bias", [conv.OutChannels]) : null).Map(tensors => graph.AddNode(
            "Conv", node.Name, [input, .. tensors], output,
            Ints("kernel_shape", conv.Kernel),
            Ints("strides", conv.Stride),
            Ints("pads", before, after),
            Ints("dilations", conv.Dilation),
            Int("group", conv.Groups)));
    }

    // Evaluation mode normalises with the running statistics; ONNX's momentum weighs the old statistic, PyTorch's the new one.
    private static Either<ConvGenError, Unit> BatchNormalization(OnnxGraph graph, LayerParameters parameters, ArchitectureNode node, BatchNorm2d norm, string input, string output)
    {
        int[] features = [node.InputShape[0]];
        return parameters.Add(node, ("weight", features), ("bias", features), ("running_mean", features), ("running_var", features)).Map(tensors => graph.AddNode(
            "BatchNormalization", node.Name, [input, .. tensors], output,
            Float("epsilon", norm.Eps),
            Float("momentum", 1 - norm.Momentum)));
    }

    // Max and average pooling's shared attributes; ONNX Runtime rounds ceil mode as PyTorch does.
    private static AttributeProto[] Window(Pool2d pool) =>
    [
        Ints("kernel_shape", pool.Kernel.Height, pool.Kernel.Width),
        Ints("strides", pool.EffectiveStride.Height, pool.EffectiveStride.Width),
        Ints("pads", pool.Padding.Height, pool.Padding.Width, pool.Padding.Height, pool.Padding.Width),
        Int("ceil_mode", pool.CeilMode ? 1 : 0),
    ];

    private static Either<ConvGenError, Unit> RequireRank(ArchitectureNode node, int rank, string expected) =>
        node.InputShape.Length == rank ? unit : Left<ConvGenError, Unit>(ExportErrors.Shape(node, expected, node.InputShape));
}
