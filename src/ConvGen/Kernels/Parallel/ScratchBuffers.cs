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
/// <remarks>
/// Parts of a job go to whichever thread claims them first, so a worker may run its first part of some kernel (or
/// its first large one) many steps into training and only then grow its scratch. To keep steady state free of
/// allocations, every request made while running parts of a job split between threads raises a mark for its purpose,
/// and a worker grows its buffers to the marks (<see cref="GrowToPartMarks"/>) before it claims parts of a job: from
/// the first job after a size was first asked for, every worker already has it. A call's own buffers, and a job run
/// serially outside any part (one part, one thread), stay with their thread.
/// </remarks>
internal static unsafe class ScratchBuffers
{
    // Spare floats past every request: vector copies may run up to one 512-bit register past their end.
    private const int Slack = 32;
    private const int AlignmentFloats = 16;

    // The largest request of each purpose made while running shared parts, and a count of the times any mark rose.
    private static readonly int[] PartMarks = new int[(int)ScratchPurpose.Count];
    private static int partMarksVersion;

    [ThreadStatic]
    private static float[]?[]? buffers;

    [ThreadStatic]
    private static int partMarksVersionSeen;

    /// <summary>At least <paramref name="length"/> floats (plus a register's slack) for this thread and purpose; contents undefined.</summary>
    public static float* Get(ScratchPurpose purpose, int length)
    {
        float[]?[] perPurpose = buffers ??= new float[(int)ScratchPurpose.Count][];
        float[]? buffer = perPurpose[(int)purpose];
        if (buffer is null || buffer.Length < Capacity(length))
        {
            if (WorkerPool.RunningSharedParts)
            {
                RaisePartMark(purpose, length);
            }

            buffer = Grow(perPurpose, purpose, length);
        }

        nuint start = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        nuint aligned = (start + AlignmentFloats * sizeof(float) - 1) & ~(nuint)(AlignmentFloats * sizeof(float) - 1);
        return (float*)aligned;
    }

    /// <summary>At least <paramref name="length"/> 32-bit offsets for this thread and purpose (the same memory, read as integers).</summary>
    public static int* GetOffsets(ScratchPurpose purpose, int length) => (int*)Get(purpose, length);

    /// <summary>
    /// Grows this thread's buffers to every purpose's largest request made while running shared parts (on any thread).
    /// Only for a thread that holds no pointer into its scratch: a grown buffer replaces the old one.
    /// </summary>
    public static void GrowToPartMarks()
    {
        int version = Volatile.Read(ref partMarksVersion);
        if (version == partMarksVersionSeen)
        {
            return;
        }

        partMarksVersionSeen = version;
        float[]?[] perPurpose = buffers ??= new float[(int)ScratchPurpose.Count][];
        for (int purpose = 0; purpose < PartMarks.Length; purpose++)
        {
            int mark = Volatile.Read(ref PartMarks[purpose]);
            if (mark > 0 && (perPurpose[purpose] is not { } buffer || buffer.Length < Capacity(mark)))
            {
                Grow(perPurpose, (ScratchPurpose)purpose, mark);
            }
        }
    }

    private static int Capacity(int length) => length + Slack + AlignmentFloats;

    private static float[] Grow(float[]?[] perPurpose, ScratchPurpose purpose, int length)
    {
        float[] buffer = GC.AllocateUninitializedArray<float>(Capacity(length), pinned: true);
        perPurpose[(int)purpose] = buffer;
        return buffer;
    }

    private static void RaisePartMark(ScratchPurpose purpose, int length)
    {
        ref int mark = ref PartMarks[(int)purpose];
        int current = Volatile.Read(ref mark);
        while (length > current)
        {
            int seen = Interlocked.CompareExchange(ref mark, length, current);
            if (seen == current)
            {
                // After the mark: a worker that sees the new version then reads the new mark.
                Interlocked.Increment(ref partMarksVersion);
                return;
            }

            current = seen;
        }
    }
}
