using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ConvGen.Kernels;

/// <summary>
/// Copies a block of an operand into the layout the micro-kernel streams: panels of a fixed width, each stored
/// depth-major (all of a panel's values for one step of the inner dimension are adjacent), zero past the edge so
/// the kernel never needs a tail case. Transposition is just a choice of strides, so one routine packs A and B
/// in every variant.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs the <paramref name="width"/> x <paramref name="depth"/> region whose value <c>(w, d)</c> sits at
    /// <c>source[w * widthStride + d * depthStride]</c> into <c>ceil(width / panelWidth)</c> panels of
    /// <c>panelWidth * depth</c> floats.
    /// </summary>
    public static void PackPanels(float* source, nint widthStride, nint depthStride, int width, int depth, int panelWidth, float* destination)
    {
        if (widthStride == 1)
        {
            CopyRows(source, depthStride, width, depth, panelWidth, destination);
            return;
        }

        for (int panelStart = 0; panelStart < width; panelStart += panelWidth)
        {
            int valid = Math.Min(panelWidth, width - panelStart);
            float* panelSource = source + panelStart * widthStride;
            if (depthStride == 1 && CanTransposeInRegisters(panelWidth))
            {
                TransposeInRegisters(panelSource, widthStride, valid, depth, panelWidth, destination);
            }
            else if (depthStride == 1 && panelWidth == GemmMicroKernel.Rows && valid == panelWidth && Transposition.InRegisters)
            {
                TransposeSixLines(panelSource, widthStride, depth, destination);
            }
            else if (CanGatherInRegisters(widthStride, panelWidth))
            {
                GatherInRegisters(panelSource, (int)widthStride, depthStride, valid, depth, panelWidth, destination);
            }
            else
            {
                Gather(panelSource, widthStride, depthStride, valid, depth, panelWidth, panelWidth, destination);
            }

            destination += (nint)panelWidth * depth;
        }
    }

    // Each depth step's values are adjacent in the source: read the source a row at a time, in order (a stream the
    // prefetcher follows), and deal each row out to the panels, a panel-wide run each.
    // AggressiveOptimization: tiered compilation ran these loops quick-jitted for seconds of a training run, ~10x slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRows(float* source, nint depthStride, int width, int depth, int panelWidth, float* destination)
    {
        nint panelSize = (nint)panelWidth * depth;
        for (int d = 0; d < depth; d++, source += depthStride)
        {
            float* target = destination + (nint)d * panelWidth;
            for (int start = 0; start < width; start += panelWidth, target += panelSize)
            {
                CopyRun(source + start, Math.Min(panelWidth, width - start), panelWidth, target);
            }
        }
    }

    // One run of a panel: the valid values, whole registers where they fit, then zeros to the panel's width.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* source, int valid, int panelWidth, float* destination)
    {
        int w = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; w <= valid - Vector256<float>.Count; w += Vector256<float>.Count)
            {
                Vector256.Load(source + w).Store(destination + w);
            }
        }

        for (; w < valid; w++)
        {
            destination[w] = source[w];
        }

        for (; w < panelWidth; w++)
        {
            destination[w] = 0f;
        }
    }

    // Lines that run along the depth, read a register at a time and turned in 8 x 8 blocks.
    private static bool CanTransposeInRegisters(int panelWidth) => Transposition.InRegisters && panelWidth % 8 == 0;

    // Eight lines by eight depth steps at a time: eight loads, a transpose in registers, eight stores, where a gather
    // would fetch each value on its own. Lines past the valid ones are zero; the last depth steps (fewer than 8) and
    // zero lines are written one value at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeInRegisters(float* source, nint widthStride, int valid, int depth, int panelWidth, float* destination)
    {
        const int block = 8;
        int wholeDepth = depth & ~(block - 1);
        for (int w = 0; w < panelWidth; w += block)
        {
            float* lines = source + w * widthStride;
            float* column = destination + w;
            if (w + block > valid)
            {
                Gather(lines, widthStride, 1, Math.Max(0, valid - w), depth, block, panelWidth, column);
                continue;
            }

            for (int d = 0; d < wholeDepth; d += block)
            {
                Transposition.Transpose8x8(lines + d, widthStride, column + (nint)d * panelWidth, panelWidth, Transposition.NothingAdded);
            }

            Gather(lines + wholeDepth, widthStride, 1, block, depth - wholeDepth, block, panelWidth, column + (nint)wholeDepth * panelWidth);
        }
    }

    // A full panel of six lines that run along the depth (rows of A), turned eight steps at a time like
    // TransposeInRegisters with the sixth line read three times: each step's 8-value store runs 2 values into the next
    // step, which its own store (or the tail's) then overwrites. The tail takes at least the last step, so no store
    // leaves the panel, whose neighbour another thread may be packing.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeSixLines(float* source, nint widthStride, int depth, float* destination)
    {
        const int block = 8, lines = 6;
        int wholeDepth = Math.Max(0, depth - 1) & ~(block - 1);
        for (int d = 0; d < wholeDepth; d += block)
        {
            float* from = source + d;
            Vector256<float> last = Vector256.Load(from + 5 * widthStride);
            Transposition.Transpose8x8(
                Vector256.Load(from), Vector256.Load(from + widthStride), Vector256.Load(from + 2 * widthStride), Vector256.Load(from + 3 * widthStride),
                Vector256.Load(from + 4 * widthStride), last, last, last, destination + (nint)d * lines, lines, Transposition.NothingAdded);
        }

        Gather(source + wholeDepth, widthStride, 1, lines, depth - wholeDepth, lines, lines, destination + (nint)wholeDepth * lines);
    }

    // The hardware gather takes 8 lines' values for one depth step at once; offsets must fit 32-bit indices.
    private static bool CanGatherInRegisters(nint widthStride, int panelWidth) =>
        Avx2.IsSupported && widthStride * panelWidth <= int.MaxValue;

    // One depth step at a time, 8 lines per gather instruction, 3.6x the rate of scalar copies. Masks keep the reads
    // inside the valid lines (zero beyond them) and the writes inside the panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherInRegisters(float* source, int widthStride, nint depthStride, int valid, int depth, int panelWidth, float* destination)
    {
        const int lanes = 8;
        Vector256<int> offsets = Vector256.CreateSequence(0, widthStride);
        Vector256<int> laneNumbers = Vector256.CreateSequence(0, 1);
        for (int d = 0; d < depth; d++, source += depthStride, destination += panelWidth)
        {
            for (int w = 0; w < panelWidth; w += lanes)
            {
                Vector256<float> readMask = Vector256.LessThan(laneNumbers, Vector256.Create(valid - w)).AsSingle();
                Vector256<float> values = Avx2.GatherMaskVector256(Vector256<float>.Zero, source + (nint)w * widthStride, offsets, readMask, sizeof(float));
                if (w + lanes <= panelWidth)
                {
                    values.Store(destination + w);
                }
                else
                {
                    Avx.MaskStore(destination + w, Vector256.LessThan(laneNumbers, Vector256.Create(panelWidth - w)).AsSingle(), values);
                }
            }
        }
    }

    // Each source line runs along the depth: read it in order and scatter it down one column of the panel, whose
    // depth steps lie destinationStride apart. Columns past the valid lines are zero.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(float* source, nint widthStride, nint depthStride, int valid, int depth, int lines, nint destinationStride, float* destination)
    {
        for (int w = 0; w < lines; w++)
        {
            float* column = destination + w;
            if (w >= valid)
            {
                for (int d = 0; d < depth; d++)
                {
                    column[d * destinationStride] = 0f;
                }

                continue;
            }

            float* line = source + w * widthStride;
            for (int d = 0; d < depth; d++)
            {
                column[d * destinationStride] = line[d * depthStride];
            }
        }
    }
}
