using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// 2-D cross-correlation (what PyTorch calls convolution) over NCHW float32 batches, as implicit GEMM: the weights are
/// packed once per call and multiplied with each sample's zero-padded input read through tables of offsets
/// (<see cref="ImplicitConvolution"/>), so no unfolded (im2col) matrix is ever written. The input gradient is the same
/// correlation run backwards: the output gradient padded, with the kernel flipped, one stride phase at a time when strided.
/// </summary>
public static unsafe class Convolution
{
    // The weight gradient is summed over the batch in this many fixed slices, each by one thread, then added in
    // slice order: a partition that depends on the batch alone keeps training bit-reproducible on any core count.
    private const int WeightGradientSlices = 8;

    /// <summary>
    /// <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>: <c>output = weight * unfold(input) + bias</c>, or with
    /// <paramref name="relu"/> <c>max(0, weight * unfold(input) + bias)</c>, the ReLU that follows applied on the way
    /// out (bit for bit what <see cref="Activations.ReluForward"/> would make of the plain output, without another pass),
    /// or with <paramref name="sigmoid"/> the sigmoid that follows, applied to each sample while it is still in cache
    /// (bit for bit what <see cref="Activations.SigmoidForward"/> would make of the plain output). <paramref name="bias"/> may be empty (no bias).
    /// Samples run in parallel, each on one thread.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        int batch, in Conv2dGeometry geometry, bool relu = false, bool sigmoid = false)
    {
        using var timing = KernelProfiler.Time("Convolution.Forward", batch, geometry);
        CheckBatch(input.Length, output.Length, batch, geometry);
        if (relu && sigmoid)
        {
            throw new ArgumentException("A convolution applies a ReLU or a sigmoid on the way out, not both.", nameof(sigmoid));
        }

        Conv2dGeometry g = geometry;
        fixed (float* inputStart = input, weightStart = weight, biasStart = bias, outputStart = output)
        {
            float* biasValues = bias.IsEmpty ? null : biasStart;
            if (WideRowCorrelation.Applies(g.OutChannels, g.StrideHeight, g.StrideWidth))
            {
                var wide = WideRowCorrelation.Build(ForwardSpread(g), g.KernelHeight, g.KernelWidth, g.OutputHeight, g.OutputWidth);
                Correlate(wide, inputStart, g.InputSize, wide.PackWeights(weightStart, g.OutChannels), g.OutChannels, biasValues, relu, sigmoid, outputStart, g.OutputSize, batch);
                return;
            }

            // B = W^T: a weight row is one filter, the product's inner dimension.
            float* packed = Gemm.PackPanels(ScratchPurpose.PackedB, weightStart, g.ColumnRows, 1, g.OutChannels, g.ColumnRows);
            var convolution = ImplicitConvolution.Build(ForwardSpread(g), g.KernelHeight, g.KernelWidth, g.OutputHeight, g.OutputWidth, g.StrideHeight, g.StrideWidth);
            Correlate(convolution, inputStart, g.InputSize, packed, g.OutChannels, biasValues, relu, sigmoid, outputStart, g.OutputSize, batch);
        }
    }

    /// <summary>
    /// Gradients of the parameters: <c>dW = sum_n dY_n * unfold(X_n)^T</c> (OIHW) and <c>db = sum over N, H', W' of dY</c>.
    /// Overwrites <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (which may be empty).
    /// The sum over samples is taken in an order fixed by the batch size alone, so it is the same on every run.
    /// </summary>
    public static void BackwardWeight(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, in Conv2dGeometry geometry)
    {
        using var timing = KernelProfiler.Time("Convolution.BackwardWeight", batch, geometry);
        CheckBatch(input.Length, outputGradient.Length, batch, geometry);
        Conv2dGeometry g = geometry;
        int slices = Math.Min(batch, WeightGradientSlices);
        int sliceSize = g.WeightSize + g.OutChannels;
        if (slices == 0)
        {
            weightGradient[..g.WeightSize].Clear();
            biasGradient[..Math.Min(biasGradient.Length, g.OutChannels)].Clear();
            return;
        }

        // Each slice sums into partials of its own: OIHW from the wide rows, else transposed (tap-major) as the product leaves them.
        float* partials = ScratchBuffers.Get(ScratchPurpose.Partials, slices * sliceSize);
        bool wideRows = WideRowCorrelation.Applies(g.OutChannels, g.StrideHeight, g.StrideWidth);
        fixed (float* inputStart = input, gradientStart = outputGradient, weightGradientStart = weightGradient)
        {
            // One or the other: both build their tables in the same scratch, so the second would overwrite the first's.
            var convolution = wideRows
                ? default
                : ImplicitConvolution.Build(ForwardSpread(g), g.KernelHeight, g.KernelWidth, g.OutputHeight, g.OutputWidth, g.StrideHeight, g.StrideWidth);
            var wide = wideRows ? WideRowCorrelation.Build(ForwardSpread(g), g.KernelHeight, g.KernelWidth, g.OutputHeight, g.OutputWidth) : default;
            var work = new WeightGradientWork(convolution, wide, wideRows, inputStart, gradientStart, partials, slices, batch, g, withBias: !biasGradient.IsEmpty);
            WorkerPool.Run(ref work, slices);

            // The slices added in slice order into the first, then turned filter-major (OIHW).
            var total = new Span<float>(partials, sliceSize);
            for (int slice = 1; slice < slices; slice++)
            {
                TensorPrimitives.Add(total, new ReadOnlySpan<float>(partials + (nint)slice * sliceSize, sliceSize), total);
            }

            if (wideRows)
            {
                total[..g.WeightSize].CopyTo(weightGradient);
            }
            else
            {
                Transposition.Transpose(partials, g.ColumnRows, g.OutChannels, g.OutChannels, weightGradientStart, g.ColumnRows, bias: null);
            }

            if (!biasGradient.IsEmpty)
            {
                total.Slice(g.WeightSize, g.OutChannels).CopyTo(biasGradient);
            }
        }
    }

    /// <summary>
    /// Gradient of the input: <c>dX_n = fold(W^T * dY_n)</c>, <c>(N, C_out, H', W') -> (N, C_in, H, W)</c>. Overwrites <paramref name="inputGradient"/>.
    /// Computed as a correlation of the output gradient, padded by <c>kernel - 1 - padding</c>, with the kernel flipped
    /// and its channels swapped; with a stride, one stride phase of the input at a time (<see cref="StridePhases"/>).
    /// </summary>
    public static void BackwardInput(
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient,
        int batch, in Conv2dGeometry geometry)
    {
        using var timing = KernelProfiler.Time("Convolution.BackwardInput", batch, geometry);
        CheckBatch(inputGradient.Length, outputGradient.Length, batch, geometry);
        Conv2dGeometry g = geometry;
        int taps = g.OutChannels * g.KernelHeight * g.KernelWidth;
        fixed (float* gradientStart = outputGradient, weightStart = weight, inputGradientStart = inputGradient)
        {
            if (StridePhases.Applies(g))
            {
                var phases = new PhaseWork(StridePhases.Build(weightStart, g), gradientStart, g.OutputSize, inputGradientStart, g.InputSize);
                WorkerPool.Run(ref phases, batch);
                return;
            }

            float* flipped = ScratchBuffers.Get(ScratchPurpose.Partials, g.WeightSize);
            FlipKernel(weightStart, flipped, g);
            var spread = new Spread(
                g.OutChannels, g.OutputHeight, g.OutputWidth, g.InputHeight + g.KernelHeight - 1, g.InputWidth + g.KernelWidth - 1,
                g.KernelHeight - 1 - g.PaddingHeight, g.KernelWidth - 1 - g.PaddingWidth, g.StrideHeight, g.StrideWidth);
            if (WideRowCorrelation.Applies(g.InChannels, 1, 1))
            {
                var wide = WideRowCorrelation.Build(spread, g.KernelHeight, g.KernelWidth, g.InputHeight, g.InputWidth);
                Correlate(wide, gradientStart, g.OutputSize, wide.PackWeights(flipped, g.InChannels), g.InChannels, null, relu: false, sigmoid: false, inputGradientStart, g.InputSize, batch);
                return;
            }

            float* packed = Gemm.PackPanels(ScratchPurpose.PackedB, flipped, taps, 1, g.InChannels, taps);
            var convolution = ImplicitConvolution.Build(spread, g.KernelHeight, g.KernelWidth, g.InputHeight, g.InputWidth, 1, 1);
            Correlate(convolution, gradientStart, g.OutputSize, packed, g.InChannels, null, relu: false, sigmoid: false, inputGradientStart, g.InputSize, batch);
        }
    }

    // Every sample through the correlation, one sample per part.
    private static void Correlate<TCorrelation>(
        TCorrelation correlation, float* source, int sourceSize, float* packedWeights, int outChannels, float* bias, bool relu, bool sigmoid, float* result, int resultSize,
        int batch)
        where TCorrelation : unmanaged, ISampleCorrelation
    {
        var work = new CorrelationWork<TCorrelation>(correlation, source, sourceSize, packedWeights, outChannels, bias, relu, sigmoid, result, resultSize);
        WorkerPool.Run(ref work, batch);
    }

    private static void CheckBatch(int inputLength, int outputLength, int batch, in Conv2dGeometry g)
    {
        if (batch < 0 || inputLength < (long)batch * g.InputSize || outputLength < (long)batch * g.OutputSize)
        {
            throw new ArgumentException(
                $"A batch of {batch} needs {(long)batch * g.InputSize} input and {(long)batch * g.OutputSize} output values; got {inputLength} and {outputLength}.");
        }
    }

    // The input zero-padded to exactly the rows and columns the output's windows reach; without padding the windows
    // stay inside the input, which is then read where it lies (Spread.IsInPlace), its rows and planes as they are.
    private static Spread ForwardSpread(in Conv2dGeometry g) => g.PaddingHeight == 0 && g.PaddingWidth == 0
        ? new(g.InChannels, g.InputHeight, g.InputWidth, g.InputHeight, g.InputWidth, 0, 0, 1, 1)
        : new(
            g.InChannels, g.InputHeight, g.InputWidth,
            (g.OutputHeight - 1) * g.StrideHeight + g.KernelHeight, (g.OutputWidth - 1) * g.StrideWidth + g.KernelWidth,
            g.PaddingHeight, g.PaddingWidth, 1, 1);

    // W[o, c, ky, kx] -> flipped[c, o, kH-1-ky, kW-1-kx]: the kernel of the transposed correlation, one row per input channel.
    private static void FlipKernel(float* weight, float* flipped, in Conv2dGeometry g)
    {
        int kernel = g.KernelHeight * g.KernelWidth;
        for (int o = 0; o < g.OutChannels; o++)
        {
            for (int c = 0; c < g.InChannels; c++)
            {
                float* source = weight + ((nint)o * g.InChannels + c) * kernel;
                float* target = flipped + ((nint)c * g.OutChannels + o) * kernel;
                for (int tap = 0; tap < kernel; tap++)
                {
                    target[kernel - 1 - tap] = source[tap];
                }
            }
        }
    }

    /// <summary>One sample's correlation per part: the forward pass, or the input gradient's transposed correlation.</summary>
    private readonly struct CorrelationWork<TCorrelation>(
        TCorrelation convolution, float* source, int sourceSize, float* packedWeights, int outChannels, float* bias, bool relu, bool sigmoid, float* result,
        int resultSize)
        : IPartitionedWork
        where TCorrelation : unmanaged, ISampleCorrelation
    {
        // AggressiveOptimization: quick-jitted, the per-sample calls cost LeNet's first hundred steps a fifth of their time.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int sample)
        {
            float* sampleResult = result + (nint)sample * resultSize;
            convolution.Correlate(source + (nint)sample * sourceSize, packedWeights, outChannels, bias, relu, sampleResult);
            if (sigmoid)
            {
                LogisticFunction.Apply(sampleResult, sampleResult, resultSize);
            }
        }
    }

    /// <summary>One sample's input gradient per part, phase by phase (<see cref="StridePhases"/>).</summary>
    private readonly struct PhaseWork(StridePhases phases, float* outputGradient, int outputSize, float* inputGradient, int inputSize) : IPartitionedWork
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int sample) => phases.InputGradient(outputGradient + (nint)sample * outputSize, inputGradient + (nint)sample * inputSize);
    }

    /// <summary>Weight and bias gradients of one fixed slice of the batch per part, into that slice's partial sums.</summary>
    private readonly struct WeightGradientWork(
        ImplicitConvolution convolution, WideRowCorrelation wide, bool wideRows, float* input, float* outputGradient, float* partials, int slices, int batch,
        Conv2dGeometry geometry, bool withBias)
        : IPartitionedWork
    {
        // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int slice)
        {
            Conv2dGeometry g = geometry;
            int plane = g.OutputPlane;
            float* sliceWeights = partials + (nint)slice * (g.WeightSize + g.OutChannels);
            float* sliceBias = sliceWeights + g.WeightSize;
            new Span<float>(sliceBias, g.OutChannels).Clear();
            int first = (int)((long)slice * batch / slices), end = (int)((long)(slice + 1) * batch / slices);
            float* laneSums = wideRows ? wide.LaneSums(g.OutChannels) : null;
            for (int n = first; n < end; n++)
            {
                float* gradient = outputGradient + (nint)n * g.OutputSize;
                if (wideRows && (n - first) % wide.GradientSamples == 0)
                {
                    int count = Math.Min(wide.GradientSamples, end - n);
                    wide.AccumulateWeightGradient(input + (nint)n * g.InputSize, g.InputSize, gradient, g.OutputSize, count, g.OutChannels, laneSums, first: n == first);
                }
                else if (!wideRows)
                {
                    convolution.AccumulateWeightGradient(input + (nint)n * g.InputSize, gradient, g.OutChannels, sliceWeights, accumulate: n != first);
                }

                // A layer without a bias (one before a BatchNorm) skips this extra pass over the gradient.
                for (int o = 0; withBias && o < g.OutChannels; o++)
                {
                    sliceBias[o] += TensorPrimitives.Sum(new ReadOnlySpan<float>(gradient + (nint)o * plane, plane));
                }
            }

            if (wideRows && end > first)
            {
                wide.SumLanes(laneSums, g.OutChannels, sliceWeights);
            }
        }
    }
}
