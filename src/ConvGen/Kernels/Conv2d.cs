using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// 2-D cross-correlation (what PyTorch calls convolution) over NCHW float32 batches, as im2col + GEMM:
/// each sample's input is unfolded into a <c>(C_in*kH*kW) x (H'*W')</c> matrix, so the layer is one matrix product.
/// A few samples are unfolded side by side into one matrix per product, so that its columns fill whole GEMM tiles.
/// </summary>
public static unsafe class Conv2d
{
    // The weight gradient is summed over the batch in this many fixed slices, each by one thread, then added in
    // slice order: a partition that depends on the batch alone keeps training bit-reproducible on any core count.
    private const int WeightGradientSlices = 8;

    /// <summary>
    /// <c>(N, C_in, H, W) -> (N, C_out, H', W')</c>: <c>output = weight * unfold(input) + bias</c>.
    /// <paramref name="bias"/> may be empty (no bias); <paramref name="columns"/> holds <see cref="Conv2dGeometry.ColumnsSize"/> values
    /// (groups of samples run in parallel, each thread unfolding into scratch of its own).
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        int batch, in Conv2dGeometry geometry, Span<float> columns)
    {
        CheckBatch(input.Length, output.Length, batch, geometry);
        fixed (float* inputStart = input, weightStart = weight, biasStart = bias, outputStart = output)
        {
            int groupSize = ParallelGroupSize(batch, geometry);
            var work = new ForwardWork(inputStart, weightStart, bias.IsEmpty ? null : biasStart, outputStart, batch, groupSize, geometry);
            WorkerPool.Run(ref work, GroupCount(batch, groupSize));
        }
    }

    /// <summary>
    /// Gradients of the parameters: <c>dW = sum_n dY_n * unfold(X_n)^T</c> (OIHW) and <c>db = sum over N, H', W' of dY</c>.
    /// Overwrites <paramref name="weightGradient"/> and <paramref name="biasGradient"/> (which may be empty).
    /// The sum over samples is taken in an order fixed by the batch size alone, so it is the same on every run.
    /// </summary>
    public static void BackwardWeight(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, in Conv2dGeometry geometry, Span<float> columns)
    {
        CheckBatch(input.Length, outputGradient.Length, batch, geometry);
        int slices = Math.Min(batch, WeightGradientSlices);
        int sliceSize = geometry.WeightSize + geometry.OutChannels;
        // Slice 0 sums straight into the caller's buffers; the others into partial sums owned by this call's thread.
        float* partials = ScratchBuffers.Get(ScratchPurpose.Partials, (slices - 1) * sliceSize);
        fixed (float* inputStart = input, gradientStart = outputGradient, weightGradientStart = weightGradient, biasGradientStart = biasGradient)
        {
            var work = new WeightGradientWork(
                inputStart, gradientStart, weightGradientStart, biasGradient.IsEmpty ? null : biasGradientStart, partials, slices, batch, GroupSize(geometry), geometry);
            WorkerPool.Run(ref work, slices);
            for (int slice = 1; slice < slices; slice++)
            {
                float* partial = partials + (nint)(slice - 1) * sliceSize;
                TensorPrimitives.Add(weightGradient[..geometry.WeightSize], new ReadOnlySpan<float>(partial, geometry.WeightSize), weightGradient[..geometry.WeightSize]);
                if (!biasGradient.IsEmpty)
                {
                    TensorPrimitives.Add(biasGradient[..geometry.OutChannels], new ReadOnlySpan<float>(partial + geometry.WeightSize, geometry.OutChannels), biasGradient[..geometry.OutChannels]);
                }
            }
        }
    }

    /// <summary>
    /// Gradient of the input: <c>dX_n = fold(W^T * dY_n)</c>, <c>(N, C_out, H', W') -> (N, C_in, H, W)</c>. Overwrites <paramref name="inputGradient"/>.
    /// </summary>
    public static void BackwardInput(
        ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight, Span<float> inputGradient,
        int batch, in Conv2dGeometry geometry, Span<float> columns)
    {
        CheckBatch(inputGradient.Length, outputGradient.Length, batch, geometry);
        fixed (float* gradientStart = outputGradient, weightStart = weight, inputGradientStart = inputGradient)
        {
            int groupSize = ParallelGroupSize(batch, geometry);
            var work = new InputGradientWork(gradientStart, weightStart, inputGradientStart, batch, groupSize, geometry);
            WorkerPool.Run(ref work, GroupCount(batch, groupSize));
        }
    }

    private static void CheckBatch(int inputLength, int outputLength, int batch, in Conv2dGeometry g)
    {
        if (batch < 0 || inputLength < (long)batch * g.InputSize || outputLength < (long)batch * g.OutputSize)
        {
            throw new ArgumentException(
                $"A batch of {batch} needs {(long)batch * g.InputSize} input and {(long)batch * g.OutputSize} output values; got {inputLength} and {outputLength}.");
        }
    }

    // Samples unfolded side by side into one matrix per GEMM, so that its columns fill whole micro-kernel tiles and the
    // weights are packed once per group rather than once per sample. At most this many samples per group, and at most
    // GroupColumnsBudget unfolded values (1.5 MiB, so they stay in L2: 8 samples of notebook 002's conv2, 5 MiB, ran
    // slower than one at a time).
    private const int MaxGroupSize = 8;
    private const int GroupColumnsBudget = 3 << 17;

    /// <summary>Samples per group: the fewest that waste the least of the last column tile, within the budget.</summary>
    private static int GroupSize(in Conv2dGeometry g)
    {
        int tile = Gemm.TileColumns, best = 1;
        long bestWaste = long.MaxValue;
        for (int size = 1; size <= MaxGroupSize && (size == 1 || (long)size * g.ColumnsSize <= GroupColumnsBudget); size++)
        {
            long columns = (long)size * g.OutputPlane;
            // Wasted tile columns per sample, compared without rounding: waste(size) / size.
            long waste = ((columns + tile - 1) / tile * tile - columns) * MaxGroupSize / size;
            if (waste < bestWaste)
            {
                (best, bestWaste) = (size, waste);
            }
        }

        return best;
    }

    // A batch is cut into at least this many groups so that a small batch still keeps the cores busy. The count is fixed
    // by the batch alone, never the core count: grouping decides which GEMM path runs, and so the last bits of a result.
    private const int MinimumGroups = 8;

    private static int ParallelGroupSize(int batch, in Conv2dGeometry g) =>
        Math.Max(1, Math.Min(GroupSize(g), GroupCount(batch, MinimumGroups)));

    private static int GroupCount(int samples, int groupSize) => (samples + groupSize - 1) / groupSize;

    /// <summary>
    /// The output gradients of samples <c>[first, first + count)</c> as one <c>[C_out, count * plane]</c> matrix: in place
    /// for one sample, else laid side by side in scratch.
    /// </summary>
    private static float* GroupGradients(float* outputGradient, int first, int count, in Conv2dGeometry g)
    {
        int plane = g.OutputPlane, groupColumns = count * plane;
        if (count == 1)
        {
            return outputGradient + (nint)first * g.OutputSize;
        }

        float* group = ScratchBuffers.Get(ScratchPurpose.GroupProduct, g.OutChannels * groupColumns);
        for (int s = 0; s < count; s++)
        {
            for (int o = 0; o < g.OutChannels; o++)
            {
                new ReadOnlySpan<float>(outputGradient + (nint)(first + s) * g.OutputSize + o * plane, plane)
                    .CopyTo(new Span<float>(group + (nint)o * groupColumns + s * plane, plane));
            }
        }

        return group;
    }

    /// <summary>Forward pass of one group of samples per part.</summary>
    private readonly struct ForwardWork(float* input, float* weight, float* bias, float* output, int batch, int groupSize, Conv2dGeometry geometry)
        : IPartitionedWork
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int part)
        {
            Conv2dGeometry g = geometry;
            int plane = g.OutputPlane;
            int first = part * groupSize, count = Math.Min(groupSize, batch - first);
            int groupColumns = count * plane;
            var columns = new Span<float>(ScratchBuffers.Get(ScratchPurpose.Columns, g.ColumnRows * groupColumns), g.ColumnRows * groupColumns);
            for (int s = 0; s < count; s++)
            {
                Unfold(new ReadOnlySpan<float>(input + (nint)(first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], g, groupColumns);
            }

            // One sample's product lands in place; a group's is [C_out, samples * plane] and is dealt out to the samples.
            float* product = count == 1 ? output + (nint)first * g.OutputSize : ScratchBuffers.Get(ScratchPurpose.GroupProduct, g.OutChannels * groupColumns);
            Gemm.Multiply(
                false, false, g.OutChannels, groupColumns, g.ColumnRows, new ReadOnlySpan<float>(weight, g.WeightSize), columns,
                new Span<float>(product, g.OutChannels * groupColumns), accumulate: false);
            for (int s = 0; s < count; s++)
            {
                float* sampleOutput = output + (nint)(first + s) * g.OutputSize;
                for (int o = 0; o < g.OutChannels; o++)
                {
                    var source = new ReadOnlySpan<float>(product + (nint)o * groupColumns + s * plane, plane);
                    var channel = new Span<float>(sampleOutput + (nint)o * plane, plane);
                    if (bias != null)
                    {
                        TensorPrimitives.Add(source, bias[o], channel);
                    }
                    else if (count > 1)
                    {
                        source.CopyTo(channel);
                    }
                }
            }
        }
    }

    /// <summary>Weight and bias gradients of one fixed slice of the batch per part.</summary>
    private readonly struct WeightGradientWork(
        float* input, float* outputGradient, float* weightGradient, float* biasGradient, float* partials, int slices, int batch, int groupSize, Conv2dGeometry geometry)
        : IPartitionedWork
    {
        // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Execute(int slice)
        {
            Conv2dGeometry g = geometry;
            int plane = g.OutputPlane;
            float* sliceWeights = slice == 0 ? weightGradient : partials + (nint)(slice - 1) * (g.WeightSize + g.OutChannels);
            float* sliceBias = slice == 0 ? biasGradient : sliceWeights + g.WeightSize;
            var weights = new Span<float>(sliceWeights, g.WeightSize);
            int first = (int)((long)slice * batch / slices), end = (int)((long)(slice + 1) * batch / slices);
            if (biasGradient != null)
            {
                new Span<float>(sliceBias, g.OutChannels).Clear();
            }

            // dW += dY_group * unfold(X_group)^T: a group's samples side by side make the product's inner dimension long.
            for (int start = first; start < end; start += groupSize)
            {
                int count = Math.Min(groupSize, end - start), groupColumns = count * plane;
                var columns = new Span<float>(ScratchBuffers.Get(ScratchPurpose.Columns, g.ColumnRows * groupColumns), g.ColumnRows * groupColumns);
                float* gradients = GroupGradients(outputGradient, start, count, g);
                for (int s = 0; s < count; s++)
                {
                    Unfold(new ReadOnlySpan<float>(input + (nint)(start + s) * g.InputSize, g.InputSize), columns[(s * plane)..], g, groupColumns);
                }

                Gemm.Multiply(
                    false, true, g.OutChannels, g.ColumnRows, groupColumns, new ReadOnlySpan<float>(gradients, g.OutChannels * groupColumns), columns,
                    weights, accumulate: start != first);
                for (int n = start; n < start + count && biasGradient != null; n++)
                {
                    for (int o = 0; o < g.OutChannels; o++)
                    {
                        sliceBias[o] += TensorPrimitives.Sum(new ReadOnlySpan<float>(outputGradient + (nint)n * g.OutputSize + o * plane, plane));
                    }
                }
            }
        }
    }

    /// <summary>Input gradient of one group of samples per part: <c>W^T * dY_group</c>, folded back sample by sample.</summary>
    private readonly struct InputGradientWork(float* outputGradient, float* weight, float* inputGradient, int batch, int groupSize, Conv2dGeometry geometry)
        : IPartitionedWork
    {
        public void Execute(int part)
        {
            Conv2dGeometry g = geometry;
            int plane = g.OutputPlane;
            int first = part * groupSize, count = Math.Min(groupSize, batch - first);
            int groupColumns = count * plane;
            var columns = new Span<float>(ScratchBuffers.Get(ScratchPurpose.Columns, g.ColumnRows * groupColumns), g.ColumnRows * groupColumns);
            float* gradients = GroupGradients(outputGradient, first, count, g);
            Gemm.Multiply(
                true, false, g.ColumnRows, groupColumns, g.OutChannels, new ReadOnlySpan<float>(weight, g.WeightSize),
                new ReadOnlySpan<float>(gradients, g.OutChannels * groupColumns), columns, accumulate: false);
            for (int s = 0; s < count; s++)
            {
                Fold(columns[(s * plane)..], new Span<float>(inputGradient + (nint)(first + s) * g.InputSize, g.InputSize), g, groupColumns);
            }
        }
    }

    /// <summary>im2col for one sample: row <c>(c, ky, kx)</c>, column <c>(oy, ox)</c> holds the input tap, zero in the padding.</summary>
    /// <remarks>
    /// Rows are <paramref name="rowStride"/> apart, so that several samples can sit side by side in one matrix; each
    /// row's <see cref="Conv2dGeometry.OutputPlane"/> values start at <c>row * rowStride</c>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Unfold(ReadOnlySpan<float> sample, Span<float> columns, in Conv2dGeometry g, int rowStride)
    {
        if ((long)(g.ColumnRows - 1) * rowStride + g.OutputPlane > columns.Length || sample.Length < g.InputSize)
        {
            throw new ArgumentException($"Unfolding {g.ColumnRows} rows {rowStride} apart needs {(long)(g.ColumnRows - 1) * rowStride + g.OutputPlane} values; got {columns.Length}.");
        }

        if (g.StrideWidth == 1)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                UnfoldUnitStride<Lanes512, Vector512<float>>(sample, columns, g, rowStride);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                UnfoldUnitStride<Lanes256, Vector256<float>>(sample, columns, g, rowStride);
            }
            else
            {
                UnfoldUnitStride<ScalarLanes, float>(sample, columns, g, rowStride);
            }

            return;
        }

        int row = 0;
        for (int c = 0; c < g.InChannels; c++)
        {
            ReadOnlySpan<float> channel = sample.Slice(c * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    Span<float> destination = columns.Slice(row * rowStride, g.OutputPlane);
                    (int first, int end) = ValidOutputColumns(g, kx);
                    for (int oy = 0; oy < g.OutputHeight; oy++)
                    {
                        int y = oy * g.StrideHeight - g.PaddingHeight + ky;
                        Span<float> line = destination.Slice(oy * g.OutputWidth, g.OutputWidth);
                        if ((uint)y >= (uint)g.InputHeight || first >= end)
                        {
                            line.Clear();
                            continue;
                        }

                        line[..first].Clear();
                        line[end..].Clear();
                        ReadOnlySpan<float> inputRow = channel.Slice(y * g.InputWidth, g.InputWidth);
                        int x = first * g.StrideWidth - g.PaddingWidth + kx;
                        if (g.StrideWidth == 1)
                        {
                            inputRow.Slice(x, end - first).CopyTo(line[first..end]);
                            continue;
                        }

                        for (int ox = first; ox < end; ox++, x += g.StrideWidth)
                        {
                            line[ox] = inputRow[x];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Unfold"/> for unit stride along the width, where every line of the unfolded matrix is one run of a
    /// zero-padded copy of the sample: whole registers are copied with no padding tests. A register may spill past its
    /// line into the next lines of the same row, which are written after it; lines near a row's end are copied exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UnfoldUnitStride<TLanes, TVector>(ReadOnlySpan<float> sample, Span<float> columns, in Conv2dGeometry g, int rowStride)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int paddedHeight = g.InputHeight + 2 * g.PaddingHeight, paddedWidth = g.InputWidth + 2 * g.PaddingWidth;
        int paddedPlane = paddedHeight * paddedWidth;
        int width = g.OutputWidth;
        int vectorWidth = (width + TLanes.Count - 1) / TLanes.Count * TLanes.Count;
        // Lines [0, wholeVectorLines) of a row may spill a register's tail without leaving the row.
        int wholeVectorLines = Math.Max(0, (g.OutputPlane - vectorWidth) / width + 1);
        // Scratch keeps a register's slack past its end, so whole-register reads of the last padded row stay inside it.
        float* padded = ScratchBuffers.Get(ScratchPurpose.PaddedInput, g.InChannels * paddedPlane);
        Pad(sample, padded, g, paddedHeight, paddedWidth);
        fixed (float* columnsStart = columns)
        {
            float* rowStart = columnsStart;
            for (int c = 0; c < g.InChannels; c++)
            {
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    for (int kx = 0; kx < g.KernelWidth; kx++, rowStart += rowStride)
                    {
                        float* source = padded + (nint)c * paddedPlane + ky * paddedWidth + kx;
                        float* line = rowStart;
                        for (int oy = 0; oy < g.OutputHeight; oy++, line += width, source += g.StrideHeight * paddedWidth)
                        {
                            if (oy >= wholeVectorLines)
                            {
                                new ReadOnlySpan<float>(source, width).CopyTo(new Span<float>(line, width));
                                continue;
                            }

                            for (int x = 0; x < width; x += TLanes.Count)
                            {
                                TLanes.Store(line + x, TLanes.Load(source + x));
                            }
                        }
                    }
                }
            }
        }
    }

    // The sample with its zero padding written out, channel by channel.
    private static void Pad(ReadOnlySpan<float> sample, float* padded, in Conv2dGeometry g, int paddedHeight, int paddedWidth)
    {
        var destination = new Span<float>(padded, g.InChannels * paddedHeight * paddedWidth);
        destination.Clear();
        for (int c = 0; c < g.InChannels; c++)
        {
            for (int y = 0; y < g.InputHeight; y++)
            {
                sample.Slice((c * g.InputHeight + y) * g.InputWidth, g.InputWidth)
                    .CopyTo(destination.Slice(((c * paddedHeight) + y + g.PaddingHeight) * paddedWidth + g.PaddingWidth, g.InputWidth));
            }
        }
    }

    /// <summary>col2im for one sample: the adjoint of <see cref="Unfold"/>, summing every tap back into its input pixel.</summary>
    /// <remarks>Rows of <paramref name="columns"/> are <paramref name="rowStride"/> apart, as in <see cref="Unfold"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Fold(ReadOnlySpan<float> columns, Span<float> sample, in Conv2dGeometry g, int rowStride)
    {
        if ((long)(g.ColumnRows - 1) * rowStride + g.OutputPlane > columns.Length || sample.Length < g.InputSize)
        {
            throw new ArgumentException($"Folding {g.ColumnRows} rows {rowStride} apart needs {(long)(g.ColumnRows - 1) * rowStride + g.OutputPlane} values; got {columns.Length}.");
        }

        if (g.StrideWidth == 1)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                FoldUnitStride<Lanes512, Vector512<float>>(columns, sample, g, rowStride);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                FoldUnitStride<Lanes256, Vector256<float>>(columns, sample, g, rowStride);
            }
            else
            {
                FoldUnitStride<ScalarLanes, float>(columns, sample, g, rowStride);
            }

            return;
        }

        sample[..g.InputSize].Clear();
        int row = 0;
        for (int c = 0; c < g.InChannels; c++)
        {
            Span<float> channel = sample.Slice(c * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++, row++)
                {
                    ReadOnlySpan<float> source = columns.Slice(row * rowStride, g.OutputPlane);
                    (int first, int end) = ValidOutputColumns(g, kx);
                    for (int oy = 0; oy < g.OutputHeight && first < end; oy++)
                    {
                        int y = oy * g.StrideHeight - g.PaddingHeight + ky;
                        if ((uint)y >= (uint)g.InputHeight)
                        {
                            continue;
                        }

                        Span<float> inputRow = channel.Slice(y * g.InputWidth, g.InputWidth);
                        ReadOnlySpan<float> line = source.Slice(oy * g.OutputWidth, g.OutputWidth);
                        int x = first * g.StrideWidth - g.PaddingWidth + kx;
                        if (g.StrideWidth == 1)
                        {
                            Span<float> target = inputRow.Slice(x, end - first);
                            TensorPrimitives.Add(target, line[first..end], target);
                            continue;
                        }

                        for (int ox = first; ox < end; ox++, x += g.StrideWidth)
                        {
                            inputRow[x] += line[ox];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Fold"/> for unit stride along the width: sums whole registers into a zero-padded gradient, then crops
    /// it. Lanes past a line add zero, which leaves every sum unchanged (a sum that starts at +0 is never -0), so each
    /// pixel gets the same additions in the same order as in the plain loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FoldUnitStride<TLanes, TVector>(ReadOnlySpan<float> columns, Span<float> sample, in Conv2dGeometry g, int rowStride)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        int paddedHeight = g.InputHeight + 2 * g.PaddingHeight, paddedWidth = g.InputWidth + 2 * g.PaddingWidth;
        int paddedPlane = paddedHeight * paddedWidth;
        int width = g.OutputWidth;
        int vectorWidth = (width + TLanes.Count - 1) / TLanes.Count * TLanes.Count;
        float* padded = ScratchBuffers.Get(ScratchPurpose.PaddedInput, g.InChannels * paddedPlane);
        new Span<float>(padded, g.InChannels * paddedPlane).Clear();
        fixed (float* columnsStart = columns)
        {
            // Whole-register reads may run past a line (the extra lanes are zeroed) but never past the buffer.
            float* lastWholeVectorLine = columnsStart + columns.Length - vectorWidth;
            float* rowStart = columnsStart;
            for (int c = 0; c < g.InChannels; c++)
            {
                for (int ky = 0; ky < g.KernelHeight; ky++)
                {
                    for (int kx = 0; kx < g.KernelWidth; kx++, rowStart += rowStride)
                    {
                        float* target = padded + (nint)c * paddedPlane + ky * paddedWidth + kx;
                        float* line = rowStart;
                        for (int oy = 0; oy < g.OutputHeight; oy++, line += width, target += g.StrideHeight * paddedWidth)
                        {
                            if (line > lastWholeVectorLine)
                            {
                                for (int x = 0; x < width; x++)
                                {
                                    target[x] += line[x];
                                }

                                continue;
                            }

                            for (int x = 0; x < width; x += TLanes.Count)
                            {
                                TLanes.Store(target + x, TLanes.Add(TLanes.Load(target + x), TLanes.Leading(TLanes.Load(line + x), width - x)));
                            }
                        }
                    }
                }
            }
        }

        for (int c = 0; c < g.InChannels; c++)
        {
            for (int y = 0; y < g.InputHeight; y++)
            {
                new ReadOnlySpan<float>(padded + ((nint)c * paddedHeight + y + g.PaddingHeight) * paddedWidth + g.PaddingWidth, g.InputWidth)
                    .CopyTo(sample.Slice((c * g.InputHeight + y) * g.InputWidth, g.InputWidth));
            }
        }
    }

    // The output columns [first, end) whose tap at kernel column kx lands inside the input rather than the padding.
    private static (int First, int End) ValidOutputColumns(in Conv2dGeometry g, int kx)
    {
        int offset = kx - g.PaddingWidth;
        int first = offset >= 0 ? 0 : (-offset + g.StrideWidth - 1) / g.StrideWidth;
        int end = g.InputWidth - offset <= 0 ? 0 : Math.Min(g.OutputWidth, (g.InputWidth - offset + g.StrideWidth - 1) / g.StrideWidth);
        return (first, Math.Max(first, end));
    }
}
