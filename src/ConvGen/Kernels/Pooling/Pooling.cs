using System.Runtime.CompilerServices;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>Max and average pooling over NCHW planes, as <c>torch.nn.MaxPool2d</c> and <c>torch.nn.AvgPool2d</c>.</summary>
public static class Pooling
{
    /// <summary>
    /// <c>(planes, H, W) -> (planes, H', W')</c>: the maximum of each window, and in <paramref name="indices"/> the
    /// position within its plane that won (the first on ties, as PyTorch), for the backward pass. Padding never wins.
    /// </summary>
    public static unsafe void MaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> indices, int planes, in PoolGeometry g)
    {
        using var timing = KernelProfiler.Time("Pooling.MaxForward", planes, g);
        CheckPlanesFit(planes, g, input.Length, Math.Min(output.Length, indices.Length), backward: false);

        fixed (float* inputStart = input, outputStart = output)
        fixed (int* indicesStart = indices)
        {
            var work = new MaxForwardWork(inputStart, outputStart, indicesStart, planes, g);
            WorkerPool.Run(ref work, PlaneParts(planes, g));
        }
    }

    /// <summary>
    /// Routes each output gradient to the input position that won its window. Overwrites <paramref name="inputGradient"/>.
    /// When a ReLU comes before the pool, passing the pool's output as <paramref name="pooledReluOutput"/> applies the
    /// ReLU's backward pass too: a window whose maximum is not above zero passes no gradient (its winner is where the
    /// ReLU's output was not positive), bit for bit what <see cref="Activations.ReluBackward"/> would do afterwards.
    /// </summary>
    public static unsafe void MaxBackward(
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> indices, Span<float> inputGradient, int planes, in PoolGeometry g,
        ReadOnlySpan<float> pooledReluOutput = default)
    {
        using var timing = KernelProfiler.Time("Pooling.MaxBackward", planes, g);
        int outputRoom = Math.Min(Math.Min(outputGradient.Length, indices.Length), pooledReluOutput.IsEmpty ? int.MaxValue : pooledReluOutput.Length);
        CheckPlanesFit(planes, g, inputGradient.Length, outputRoom, backward: true);

        fixed (float* gradientStart = outputGradient, inputGradientStart = inputGradient, pooledStart = pooledReluOutput)
        fixed (int* indicesStart = indices)
        {
            var work = new MaxBackwardWork(gradientStart, indicesStart, pooledReluOutput.IsEmpty ? null : pooledStart, inputGradientStart, planes, g);
            WorkerPool.Run(ref work, PlaneParts(planes, g));
        }
    }

    // Throws unless the planes fit: inputRoom values in every span on the input side, outputRoom on the output side.
    private static void CheckPlanesFit(int planes, in PoolGeometry g, int inputRoom, int outputRoom, bool backward)
    {
        if ((long)planes * g.InputPlane > inputRoom || (long)planes * g.OutputPlane > outputRoom)
        {
            (int from, int to) = backward ? (g.OutputPlane, g.InputPlane) : (g.InputPlane, g.OutputPlane);
            throw new ArgumentException($"{planes} planes of {from} -> {to} values do not fit the buffers given.");
        }
    }

    // Enough planes per part to outweigh waking a core; planes never share a value, so any split gives the same result.
    private static int PlaneParts(int planes, in PoolGeometry g) =>
        (int)Math.Clamp((long)planes * g.InputPlane / (1 << 15), 1, WorkerPool.Concurrency);

    private static (int First, int End) PlaneRange(int planes, int part, int parts) =>
        ((int)((long)planes * part / parts), (int)((long)planes * (part + 1) / parts));

    private readonly unsafe struct MaxForwardWork(float* input, float* output, int* indices, int planes, PoolGeometry geometry) : IPartitionedWork
    {
        public void Execute(int part)
        {
            (int first, int end) = PlaneRange(planes, part, PlaneParts(planes, geometry));
            int count = end - first;
            if (MaxPoolPairs.Applies(geometry))
            {
                MaxPoolPairs.Forward(input + (nint)first * geometry.InputPlane, output + (nint)first * geometry.OutputPlane, indices + (nint)first * geometry.OutputPlane, count, geometry);
                return;
            }

            MaxForwardPlanes(
                new ReadOnlySpan<float>(input + (nint)first * geometry.InputPlane, count * geometry.InputPlane),
                new Span<float>(output + (nint)first * geometry.OutputPlane, count * geometry.OutputPlane),
                new Span<int>(indices + (nint)first * geometry.OutputPlane, count * geometry.OutputPlane),
                count,
                geometry);
        }
    }

    private readonly unsafe struct MaxBackwardWork(float* outputGradient, int* indices, float* pooled, float* inputGradient, int planes, PoolGeometry geometry)
        : IPartitionedWork
    {
        public void Execute(int part)
        {
            (int first, int end) = PlaneRange(planes, part, PlaneParts(planes, geometry));
            int count = end - first;
            float* partPooled = pooled == null ? null : pooled + (nint)first * geometry.OutputPlane;
            if (MaxPoolPairs.Applies(geometry))
            {
                MaxPoolPairs.Backward(
                    outputGradient + (nint)first * geometry.OutputPlane, indices + (nint)first * geometry.OutputPlane, partPooled,
                    inputGradient + (nint)first * geometry.InputPlane, count, geometry);
                return;
            }

            MaxBackwardPlanes(
                outputGradient + (nint)first * geometry.OutputPlane, indices + (nint)first * geometry.OutputPlane, partPooled,
                inputGradient + (nint)first * geometry.InputPlane, count, geometry);
        }
    }

    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MaxForwardPlanes(ReadOnlySpan<float> input, Span<float> output, Span<int> indices, int planes, in PoolGeometry g)
    {
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> source = input.Slice(plane * g.InputPlane, g.InputPlane);
            int outputBase = plane * g.OutputPlane;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int y0 = oy * g.StrideHeight - g.PaddingHeight;
                int yStart = Math.Max(y0, 0), yEnd = Math.Min(y0 + g.KernelHeight, g.InputHeight);
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    int x0 = ox * g.StrideWidth - g.PaddingWidth;
                    int xStart = Math.Max(x0, 0), xEnd = Math.Min(x0 + g.KernelWidth, g.InputWidth);
                    float best = float.NegativeInfinity;
                    int bestIndex = yStart * g.InputWidth + xStart;
                    for (int y = yStart; y < yEnd; y++)
                    {
                        for (int x = xStart; x < xEnd; x++)
                        {
                            float value = source[y * g.InputWidth + x];
                            // NaN propagates, as in PyTorch: a NaN beats every number, and a later NaN an earlier one.
                            if (value > best || float.IsNaN(value))
                            {
                                best = value;
                                bestIndex = y * g.InputWidth + x;
                            }
                        }
                    }

                    output[outputBase + oy * g.OutputWidth + ox] = best;
                    indices[outputBase + oy * g.OutputWidth + ox] = bestIndex;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MaxBackwardPlanes(float* outputGradient, int* indices, float* pooled, float* inputGradient, int planes, in PoolGeometry g)
    {
        new Span<float>(inputGradient, planes * g.InputPlane).Clear();
        for (int plane = 0; plane < planes; plane++, inputGradient += g.InputPlane)
        {
            for (int i = 0; i < g.OutputPlane; i++, outputGradient++, indices++)
            {
                // Every window that a value won has that value as its maximum, so a ReLU-dropped value gets nothing at all.
                bool passes = pooled == null || *pooled++ > 0f;
                inputGradient[*indices] += passes ? *outputGradient : 0f;
            }
        }
    }

    /// <summary>
    /// <c>(planes, H, W) -> (planes, H', W')</c>: the mean of each window. The divisor counts the zero padding
    /// (PyTorch's default <c>count_include_pad=True</c>) or, with <see cref="PoolGeometry.CountIncludePad"/> false, only
    /// the input values the window covers.
    /// </summary>
    public static unsafe void AverageForward(ReadOnlySpan<float> input, Span<float> output, int planes, in PoolGeometry g)
    {
        using var timing = KernelProfiler.Time("Pooling.AverageForward", planes, g);
        CheckPlanesFit(planes, g, input.Length, output.Length, backward: false);

        fixed (float* inputStart = input, outputStart = output)
        {
            var work = new AverageWork(inputStart, outputStart, planes, g, backward: false);
            WorkerPool.Run(ref work, PlaneParts(planes, g));
        }
    }

    /// <summary>
    /// Spreads each output gradient evenly over its window. Overwrites <paramref name="inputGradient"/>. When a sigmoid
    /// comes before the pool, passing its output (the pool's input) as <paramref name="sigmoidOutput"/> applies the
    /// sigmoid's backward pass too, <c>dX *= y * (1 - y)</c>, bit for bit what <see cref="Activations.SigmoidBackward"/>
    /// would do afterwards, while each plane is still in cache.
    /// </summary>
    public static unsafe void AverageBackward(
        ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int planes, in PoolGeometry g, ReadOnlySpan<float> sigmoidOutput = default)
    {
        using var timing = KernelProfiler.Time("Pooling.AverageBackward", planes, g);
        int inputRoom = Math.Min(inputGradient.Length, sigmoidOutput.IsEmpty ? int.MaxValue : sigmoidOutput.Length);
        CheckPlanesFit(planes, g, inputRoom, outputGradient.Length, backward: true);

        fixed (float* gradientStart = outputGradient, inputGradientStart = inputGradient, sigmoidStart = sigmoidOutput)
        {
            var work = new AverageWork(gradientStart, inputGradientStart, planes, g, backward: true, sigmoidOutput.IsEmpty ? null : sigmoidStart);
            WorkerPool.Run(ref work, PlaneParts(planes, g));
        }
    }

    /// <summary>
    /// One run of planes per part, forward (<c>from</c> input, <c>to</c> output) or backward (gradients the other way,
    /// through the sigmoid before the pool when its output <c>sigmoid</c> is not null).
    /// </summary>
    private readonly unsafe struct AverageWork(float* from, float* to, int planes, PoolGeometry geometry, bool backward, float* sigmoid = null) : IPartitionedWork
    {
        public void Execute(int part)
        {
            (int first, int end) = PlaneRange(planes, part, PlaneParts(planes, geometry));
            int count = end - first;
            PoolGeometry g = geometry;
            float* input = (backward ? to : from) + (nint)first * g.InputPlane, output = (backward ? from : to) + (nint)first * g.OutputPlane;
            float* partSigmoid = sigmoid == null ? null : sigmoid + (nint)first * g.InputPlane;
            switch (backward, AveragePoolPairs.Applies(g))
            {
                case (false, true):
                    AveragePoolPairs.Forward(input, output, count, g);
                    break;
                case (false, false):
                    AverageForwardPlanes(input, output, count, g);
                    break;
                case (true, true):
                    AveragePoolPairs.Backward(output, input, partSigmoid, count, g);
                    break;
                default:
                    AverageBackwardPlanes(output, input, partSigmoid, count, g);
                    break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AverageForwardPlanes(float* input, float* output, int planes, in PoolGeometry g)
    {
        for (int plane = 0; plane < planes; plane++, input += g.InputPlane, output += g.OutputPlane)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    var window = Window(g, oy, ox);
                    float sum = 0f;
                    for (int y = window.YStart; y < window.YEnd; y++)
                    {
                        for (int x = window.XStart; x < window.XEnd; x++)
                        {
                            sum += input[y * g.InputWidth + x];
                        }
                    }

                    output[oy * g.OutputWidth + ox] = sum / window.Divisor;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AverageBackwardPlanes(float* outputGradient, float* inputGradient, float* sigmoid, int planes, in PoolGeometry g)
    {
        new Span<float>(inputGradient, planes * g.InputPlane).Clear();
        for (int plane = 0; plane < planes; plane++, inputGradient += g.InputPlane, outputGradient += g.OutputPlane)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    var window = Window(g, oy, ox);
                    float share = outputGradient[oy * g.OutputWidth + ox] / window.Divisor;
                    for (int y = window.YStart; y < window.YEnd; y++)
                    {
                        for (int x = window.XStart; x < window.XEnd; x++)
                        {
                            inputGradient[y * g.InputWidth + x] += share;
                        }
                    }
                }
            }

            // The plane's gradient complete, through the sigmoid before the pool.
            if (sigmoid != null)
            {
                Activations.SigmoidGradient(sigmoid + (nint)plane * g.InputPlane, inputGradient, g.InputPlane);
            }
        }
    }

    // The window clipped to the input, and PyTorch's divisor: the window clipped to the padded input (a ceil-mode window
    // can run past it), or with count_include_pad=False the window clipped to the input itself.
    private static (int YStart, int YEnd, int XStart, int XEnd, float Divisor) Window(in PoolGeometry g, int oy, int ox)
    {
        int y0 = oy * g.StrideHeight - g.PaddingHeight, x0 = ox * g.StrideWidth - g.PaddingWidth;
        int yStart = Math.Max(y0, 0), yEnd = Math.Min(y0 + g.KernelHeight, g.InputHeight);
        int xStart = Math.Max(x0, 0), xEnd = Math.Min(x0 + g.KernelWidth, g.InputWidth);
        float divisor = g.CountIncludePad
            ? (Math.Min(y0 + g.KernelHeight, g.InputHeight + g.PaddingHeight) - y0) * (Math.Min(x0 + g.KernelWidth, g.InputWidth + g.PaddingWidth) - x0)
            : (yEnd - yStart) * (xEnd - xStart);
        return (yStart, yEnd, xStart, xEnd, divisor);
    }
}
