using ConvGen.Kernels;

namespace ConvGen.Benchmarks;

/// <summary>
/// The kernel workloads worth timing, with their inputs, shared by the BenchmarkDotNet classes and the quick
/// stopwatch mode so both measure exactly the same calls.
/// </summary>
public sealed class KernelCases
{
    /// <summary>Side of the square GEMM.</summary>
    public const int GemmSize = 1024;

    /// <summary>Samples per convolution call, as in the training step.</summary>
    public const int Batch = 64;

    /// <summary>Notebook 002's first convolution: 1x28x28 -> 32x28x28, 5x5, padding 2.</summary>
    public static readonly Conv2dGeometry FirstConvolution = Geometry(inChannels: 1, size: 28, outChannels: 32);

    /// <summary>Notebook 002's second convolution: 32x14x14 -> 64x14x14, 5x5, padding 2.</summary>
    public static readonly Conv2dGeometry SecondConvolution = Geometry(inChannels: 32, size: 14, outChannels: 64);

    /// <summary>Notebook 002's first max pool: 32 planes of 28x28 per sample -> 14x14, 2x2 windows, stride 2.</summary>
    public static readonly PoolGeometry FirstPool = new(28, 28, 14, 14, 2, 2, 2, 2, 0, 0);

    /// <summary>Channels of <see cref="FirstPool"/>: conv1's outputs.</summary>
    public const int FirstPoolChannels = 32;

    /// <summary>The ResNet sample's first BatchNorm2d: 16 channels of 28x28 per sample.</summary>
    public const int NormalizedChannels = 16;

    /// <summary>Values per plane of the normalised channels.</summary>
    public const int NormalizedPlane = 28 * 28;

    private readonly float[] gemmA = Random(GemmSize * GemmSize, 1);
    private readonly float[] gemmB = Random(GemmSize * GemmSize, 2);
    private readonly float[] gemmC = new float[GemmSize * GemmSize];
    private readonly float[] referenceC = new float[GemmSize * GemmSize];
    private readonly LinearBuffers fullyConnected = new();
    private readonly OptimizerBuffers adam = new();
    private readonly ConvolutionBuffers first = new(FirstConvolution);
    private readonly ConvolutionBuffers second = new(SecondConvolution);
    private readonly float[] poolInput = Random(Batch * FirstPoolChannels * FirstPool.InputPlane, 13);
    private readonly float[] poolOutput = new float[Batch * FirstPoolChannels * FirstPool.OutputPlane];
    private readonly int[] poolIndices = new int[Batch * FirstPoolChannels * FirstPool.OutputPlane];
    private readonly NormalizationBuffers normalization = new();

    /// <summary>Multiply-adds times two in one GEMM call.</summary>
    public static double GemmFlops => 2.0 * GemmSize * GemmSize * GemmSize;

    /// <summary>Floating-point operations of one convolution pass (forward, or either half of backward) over the batch.</summary>
    public static double ConvolutionFlops(in Conv2dGeometry g) => 2.0 * Batch * g.OutChannels * g.OutputPlane * g.ColumnRows;

    /// <summary>Floating-point operations of one pass of notebook 002's 3136 -> 1024 layer over the batch.</summary>
    public static double LinearFlops => 2.0 * Batch * LinearBuffers.InFeatures * LinearBuffers.OutFeatures;

    public void LinearForward() => fullyConnected.Forward();

    public void LinearBackwardWeight() => fullyConnected.BackwardWeight();

    public void LinearBackwardInput() => fullyConnected.BackwardInput();

    public void AdamUpdate() => adam.Update();

    public void Gemm1024() => Gemm.Multiply(false, false, GemmSize, GemmSize, GemmSize, gemmA, gemmB, gemmC, accumulate: false);

    /// <summary>The same product as <see cref="Gemm1024"/> by another library, into a C of its own.</summary>
    public void Gemm1024By(OpenBlasGemm blas) => blas.MultiplySquare(GemmSize, gemmA, gemmB, referenceC);

    /// <summary>The largest difference between the two products' values, relative to C's largest value.</summary>
    public double GemmDisagreement()
    {
        double worst = 0, largest = 0;
        for (int i = 0; i < gemmC.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(gemmC[i] - referenceC[i]));
            largest = Math.Max(largest, Math.Abs(referenceC[i]));
        }

        return worst / largest;
    }

    public void FirstForward() => first.Forward();

    public void FirstBackwardWeight() => first.BackwardWeight();

    public void SecondForward() => second.Forward();

    public void SecondBackwardWeight() => second.BackwardWeight();

    public void SecondBackwardInput() => second.BackwardInput();

    public void FirstPoolForward() => Pooling.MaxForward(poolInput, poolOutput, poolIndices, Batch * FirstPoolChannels, FirstPool);

    public void NormalizationForward() => normalization.Forward();

    public void NormalizationBackward() => normalization.Backward();

    private static Conv2dGeometry Geometry(int inChannels, int size, int outChannels) =>
        new(inChannels, size, size, outChannels, size, size, 5, 5, 1, 1, 2, 2);

    private static float[] Random(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    private sealed class LinearBuffers
    {
        public const int InFeatures = 3136;
        public const int OutFeatures = 1024;

        private readonly float[] input = Random(Batch * InFeatures, 7);
        private readonly float[] weight = Random(InFeatures * OutFeatures, 8);
        private readonly float[] bias = Random(OutFeatures, 9);
        private readonly float[] output = new float[Batch * OutFeatures];
        private readonly float[] outputGradient = Random(Batch * OutFeatures, 10);
        private readonly float[] weightGradient = new float[InFeatures * OutFeatures];
        private readonly float[] biasGradient = new float[OutFeatures];
        private readonly float[] inputGradient = new float[Batch * InFeatures];

        public void Forward() => FullyConnected.Forward(input, weight, bias, output, Batch, InFeatures, OutFeatures);

        public void BackwardWeight() => FullyConnected.BackwardWeight(input, outputGradient, weightGradient, biasGradient, Batch, InFeatures, OutFeatures);

        public void BackwardInput() => FullyConnected.BackwardInput(outputGradient, weight, inputGradient, Batch, InFeatures, OutFeatures);
    }

    private sealed class OptimizerBuffers
    {
        private readonly float[] parameters = Random(MnistNet.ParameterCount, 11);
        private readonly float[] gradients = Random(MnistNet.ParameterCount, 12);
        private readonly Training.Adam optimizer = new();
        private readonly Training.OptimizerState state = new Training.Adam().CreateState(MnistNet.ParameterCount);

        public void Update() => optimizer.Update(parameters, gradients, state);
    }

    private sealed class NormalizationBuffers
    {
        private const int Values = Batch * NormalizedChannels * NormalizedPlane;

        private readonly float[] input = Random(Values, 14);
        private readonly float[] output = new float[Values];
        private readonly float[] outputGradient = Random(Values, 15);
        private readonly float[] inputGradient = new float[Values];
        private readonly float[] weight = Random(NormalizedChannels, 16);
        private readonly float[] bias = Random(NormalizedChannels, 17);
        private readonly float[] runningMean = new float[NormalizedChannels];
        private readonly float[] runningVariance = Enumerable.Repeat(1f, NormalizedChannels).ToArray();
        private readonly float[] savedMean = new float[NormalizedChannels];
        private readonly float[] savedInverseStd = new float[NormalizedChannels];
        private readonly float[] weightGradient = new float[NormalizedChannels];
        private readonly float[] biasGradient = new float[NormalizedChannels];

        public void Forward() => BatchNormalization.ForwardTraining(
            input, weight, bias, output, runningMean, runningVariance, savedMean, savedInverseStd, Batch, NormalizedChannels, NormalizedPlane, 1e-5, 0.1);

        public void Backward() => BatchNormalization.Backward(
            input, outputGradient, weight, savedMean, savedInverseStd, inputGradient, weightGradient, biasGradient, Batch, NormalizedChannels, NormalizedPlane, training: true);
    }

    private sealed class ConvolutionBuffers(Conv2dGeometry geometry)
    {
        private readonly float[] input = Random(Batch * geometry.InputSize, 3);
        private readonly float[] weight = Random(geometry.WeightSize, 4);
        private readonly float[] bias = Random(geometry.OutChannels, 5);
        private readonly float[] output = new float[Batch * geometry.OutputSize];
        private readonly float[] outputGradient = Random(Batch * geometry.OutputSize, 6);
        private readonly float[] inputGradient = new float[Batch * geometry.InputSize];
        private readonly float[] weightGradient = new float[geometry.WeightSize];
        private readonly float[] biasGradient = new float[geometry.OutChannels];

        public void Forward() => Convolution.Forward(input, weight, bias, output, Batch, geometry);

        public void BackwardWeight() => Convolution.BackwardWeight(input, outputGradient, weightGradient, biasGradient, Batch, geometry);

        public void BackwardInput() => Convolution.BackwardInput(outputGradient, weight, inputGradient, Batch, geometry);
    }
}
