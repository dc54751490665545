using ConvGen.Kernels;
using ConvGen.Shapes;

namespace ConvGen.Tests.Numerics;

/// <summary>The gradients of a layer with parameters; <see cref="Bias"/> is empty when the layer has none.</summary>
public sealed record LayerGradients(float[] Input, float[] Weight, float[] Bias);

/// <summary>
/// Allocating wrappers over the span kernels, so tests read as the math they check. Every buffer a kernel promises to
/// overwrite, scratch included, starts out as NaN: a kernel that reads or keeps stale values instead fails loudly.
/// </summary>
public static partial class KernelHarness
{
    /// <summary>A convolution's geometry with the output size from the runtime's own shape rule.</summary>
    public static Conv2dGeometry ConvolutionGeometry(
        int inChannels, int height, int width, int outChannels,
        int kernelHeight, int kernelWidth, int strideHeight = 1, int strideWidth = 1, int paddingHeight = 0, int paddingWidth = 0) =>
        new(inChannels, height, width, outChannels,
            (int)ShapeRules.ConvolutionOutputSize(height, kernelHeight, strideHeight, paddingHeight),
            (int)ShapeRules.ConvolutionOutputSize(width, kernelWidth, strideWidth, paddingWidth),
            kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);

    /// <summary>A pooling geometry (floor mode unless <paramref name="ceilMode"/>) with the output size from the runtime's own shape rule.</summary>
    public static PoolGeometry PoolingGeometry(
        int height, int width, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int paddingHeight = 0, int paddingWidth = 0, bool ceilMode = false) =>
        new(height, width,
            (int)ShapeRules.PoolingOutputSize(height, kernelHeight, strideHeight, paddingHeight, ceilMode: ceilMode),
            (int)ShapeRules.PoolingOutputSize(width, kernelWidth, strideWidth, paddingWidth, ceilMode: ceilMode),
            kernelHeight, kernelWidth, strideHeight, strideWidth, paddingHeight, paddingWidth);

    /// <summary><c>(N, C_in, H, W) -> (N, C_out, H', W')</c>; an empty <paramref name="bias"/> means none.</summary>
    public static float[] Conv2dForward(float[] input, float[] weight, float[] bias, int batch, Conv2dGeometry geometry)
    {
        float[] output = NaNs(batch * geometry.OutputSize);
        Convolution.Forward(input, weight, bias, output, batch, geometry);
        return output;
    }

    /// <summary>All three gradients of a convolution for the upstream gradient <paramref name="outputGradient"/>.</summary>
    public static LayerGradients Conv2dBackward(float[] input, float[] weight, float[] outputGradient, bool hasBias, int batch, Conv2dGeometry geometry)
    {
        float[] weightGradient = NaNs(geometry.WeightSize), biasGradient = NaNs(hasBias ? geometry.OutChannels : 0);
        float[] inputGradient = NaNs(batch * geometry.InputSize);
        Convolution.BackwardWeight(input, outputGradient, weightGradient, biasGradient, batch, geometry);
        Convolution.BackwardInput(outputGradient, weight, inputGradient, batch, geometry);
        return new LayerGradients(inputGradient, weightGradient, biasGradient);
    }

    /// <summary><see cref="Conv2dGeneral"/>'s forward pass: dilation, groups, padding before each axis.</summary>
    public static float[] Conv2dGeneralForward(float[] input, float[] weight, float[] bias, int batch, Conv2dGeometry geometry)
    {
        float[] output = NaNs(batch * geometry.OutputSize);
        Conv2dGeneral.Forward(input, weight, bias, output, batch, geometry);
        return output;
    }

    /// <summary>All three gradients of <see cref="Conv2dGeneral"/> for the upstream gradient <paramref name="outputGradient"/>.</summary>
    public static LayerGradients Conv2dGeneralBackward(float[] input, float[] weight, float[] outputGradient, bool hasBias, int batch, Conv2dGeometry geometry)
    {
        float[] weightGradient = NaNs(geometry.WeightSize), biasGradient = NaNs(hasBias ? geometry.OutChannels : 0);
        float[] inputGradient = NaNs(batch * geometry.InputSize);
        Conv2dGeneral.BackwardWeight(input, outputGradient, weightGradient, biasGradient, batch, geometry);
        Conv2dGeneral.BackwardInput(outputGradient, weight, inputGradient, batch, geometry);
        return new LayerGradients(inputGradient, weightGradient, biasGradient);
    }

    /// <summary>Adaptive average pooling of <paramref name="planes"/> = N*C planes to <paramref name="outputHeight"/> x <paramref name="outputWidth"/>.</summary>
    public static float[] AdaptiveAveragePoolForward(float[] input, int planes, int height, int width, int outputHeight, int outputWidth)
    {
        float[] output = NaNs(planes * outputHeight * outputWidth);
        AdaptivePooling.AverageForward(input, output, planes, height, width, outputHeight, outputWidth);
        return output;
    }

    /// <summary>The input gradient of adaptive average pooling.</summary>
    public static float[] AdaptiveAveragePoolBackward(float[] outputGradient, int planes, int height, int width, int outputHeight, int outputWidth)
    {
        float[] inputGradient = NaNs(planes * height * width);
        AdaptivePooling.AverageBackward(outputGradient, inputGradient, planes, height, width, outputHeight, outputWidth);
        return inputGradient;
    }

    /// <summary>Max pooling over <paramref name="planes"/> = N*C planes: the maxima and the in-plane index of each winner.</summary>
    public static (float[] Output, int[] Indices) MaxPoolForward(float[] input, int planes, PoolGeometry geometry)
    {
        float[] output = NaNs(planes * geometry.OutputPlane);
        int[] indices = new int[output.Length];
        Array.Fill(indices, -1);
        Pooling.MaxForward(input, output, indices, planes, geometry);
        return (output, indices);
    }

    /// <summary>The input gradient of max pooling, routed through the winners' <paramref name="indices"/>.</summary>
    public static float[] MaxPoolBackward(float[] outputGradient, int[] indices, int planes, PoolGeometry geometry)
    {
        float[] inputGradient = NaNs(planes * geometry.InputPlane);
        Pooling.MaxBackward(outputGradient, indices, inputGradient, planes, geometry);
        return inputGradient;
    }

    /// <summary>Average pooling over <paramref name="planes"/> = N*C planes, padding counted in the divisor.</summary>
    public static float[] AveragePoolForward(float[] input, int planes, PoolGeometry geometry)
    {
        float[] output = NaNs(planes * geometry.OutputPlane);
        Pooling.AverageForward(input, output, planes, geometry);
        return output;
    }

    /// <summary>The input gradient of average pooling.</summary>
    public static float[] AveragePoolBackward(float[] outputGradient, int planes, PoolGeometry geometry)
    {
        float[] inputGradient = NaNs(planes * geometry.InputPlane);
        Pooling.AverageBackward(outputGradient, inputGradient, planes, geometry);
        return inputGradient;
    }

    /// <summary><c>(N, in) -> (N, out)</c> with weight <c>(out, in)</c>; an empty <paramref name="bias"/> means none.</summary>
    public static float[] LinearForward(float[] input, float[] weight, float[] bias, int batch, int inFeatures, int outFeatures)
    {
        float[] output = NaNs(batch * outFeatures);
        FullyConnected.Forward(input, weight, bias, output, batch, inFeatures, outFeatures);
        return output;
    }

    /// <summary>All three gradients of a linear layer for the upstream gradient <paramref name="outputGradient"/>.</summary>
    public static LayerGradients LinearBackward(
        float[] input, float[] weight, float[] outputGradient, bool hasBias, int batch, int inFeatures, int outFeatures)
    {
        float[] weightGradient = NaNs(outFeatures * inFeatures), biasGradient = NaNs(hasBias ? outFeatures : 0);
        float[] inputGradient = NaNs(batch * inFeatures);
        FullyConnected.BackwardWeight(input, outputGradient, weightGradient, biasGradient, batch, inFeatures, outFeatures);
        FullyConnected.BackwardInput(outputGradient, weight, inputGradient, batch, inFeatures, outFeatures);
        return new LayerGradients(inputGradient, weightGradient, biasGradient);
    }

    /// <summary><c>max(0, x)</c>.</summary>
    public static float[] ReluForward(float[] input)
    {
        float[] output = NaNs(input.Length);
        Activations.ReluForward(input, output);
        return output;
    }

    /// <summary>The input gradient of ReLU from its forward <paramref name="output"/>; the upstream gradient is left intact.</summary>
    public static float[] ReluBackward(float[] output, float[] outputGradient)
    {
        float[] gradient = (float[])outputGradient.Clone();
        Activations.ReluBackward(output, gradient);
        return gradient;
    }

    /// <summary>The mean cross-entropy of <paramref name="logits"/> <c>(N, classes)</c> and its gradient with respect to them.</summary>
    public static (float Loss, float[] LogitGradient) CrossEntropyLossAndGradient(float[] logits, int[] labels, int batch, int classes)
    {
        float[] gradient = NaNs(batch * classes);
        float loss = CrossEntropy.LossAndGradient(logits, labels, gradient, batch, classes);
        return (loss, gradient);
    }

    private static float[] NaNs(int length)
    {
        float[] values = new float[length];
        Array.Fill(values, float.NaN);
        return values;
    }
}
