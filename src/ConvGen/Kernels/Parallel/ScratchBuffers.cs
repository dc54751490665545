using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvGen.Kernels.Parallel;

/// <summary>
/// What a scratch buffer is for; each purpose has its own buffer so that nested kernels never share one. The first
/// five are filled by a kernel call (its own thread, or its parts together) and read by its parts on every thread;
/// the rest belong to one part.
/// </summary>
internal enum ScratchPurpose
{
    /// <summary>
    /// B packed: a convolution's weights for the whole call, or the block of B a GEMM part is on (a GEMM with a
    /// strided B never runs inside a convolution's parts, whose B comes packed).
    /// </summary>
    PackedB,

    /// <summary>Offsets of an implicit A's rows (a convolution's output pixels).</summary>
    RowOffsets,

    /// <summary>Offsets of an implicit A's depth steps (a convolution's kernel taps).</summary>
    DepthOffsets,

    /// <summary>Per-slice partial sums, or a call's rearranged weights.</summary>
    Partials,

    /// <summary>All of a GEMM's A, packed once for the parts (or blocks) that each take a share of the columns.</summary>
    SharedA,

    /// <summary>A GEMM's block of A, packed.</summary>
    PackedA,

    /// <summary>One sample zero-padded (or spread out) for an implicit GEMM.</summary>
    PaddedInput,

    /// <summary>One sample's B packed (a convolution's output gradient, transposed).</summary>
    SampleB,

    /// <summary>One sample's product before it is transposed into place, or a sample's wide rows (<see cref="WideRowCorrelation"/>).</summary>
    Product,

    /// <summary>A part's weight gradient summed lane by lane, before the lanes are added (<see cref="WideRowCorrelation"/>).</summary>
    LaneSums,

    /// <summary>One sample's share of an input gradient in one stride phase, channel by channel, before it is put in place (<see cref="StridePhases"/>).</summary>
    PhasePlanes,

    Count,
}

/// <summary>
/// Per-thread scratch memory that grows to the largest request and is then reused, so kernels allocate nothing in
/// steady state. Buffers live on the pinned heap and are 64-byte aligned, so callers may hold raw pointers into them
/// while the owning thread (or work it waits for) uses them.
/// </summary>
internal static unsafe class ScratchBuffers
{
    // Spare floats past every request: vector copies may run up to one 512-bit register past their end.
    private const int Slack = 32;
    private const int AlignmentFloats = 16;

    [ThreadStatic]
    private static float[]?[]? buffers;

    /// <summary>At least <paramref name="length"/> floats (plus a register's slack) for this thread and purpose; contents undefined.</summary>
    public static float* Get(ScratchPurpose purpose, int length)
    {
        float[]?[] perPurpose = buffers ??= new float[(int)ScratchPurpose.Count][];
        float[]? buffer = perPurpose[(int)purpose];
        if (buffer is null || buffer.Length < length + Slack + AlignmentFloats)
        {
            buffer = GC.AllocateUninitializedArray<float>(length + Slack + AlignmentFloats, pinned: true);
            perPurpose[(int)purpose] = buffer;
        }

        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        nuint aligned = (start + AlignmentFloats * sizeof(float) - 1) & ~(nuint)(AlignmentFloats * sizeof(float) - 1);
        return (float*)aligned;
    }

    /// <summary>At least <paramref name="length"/> 32-bit offsets for this thread and purpose (the same memory, read as integers).</summary>
    public static int* GetOffsets(ScratchPurpose purpose, int length) => (int*)Get(purpose, length);
}
