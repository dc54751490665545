namespace ConvGen.Kernels.Parallel;

/// <summary>
/// Splits an element-wise kernel's range into contiguous runs of whole cache lines, one per core, when the range is long
/// enough to be worth it; each run goes through <see cref="ElementwiseLoop"/>. Elements never interact, so the split
/// cannot change a result.
/// </summary>
internal readonly struct ElementwiseParts<TKernel> : IPartitionedWork
    where TKernel : unmanaged, IElementwiseKernel
{
    // Below this many elements one core finishes before a second would wake.
    private const int ElementsPerPart = 1 << 16;
    private const int Alignment = 16;

    private readonly TKernel kernel;
    private readonly int length, parts;

    private ElementwiseParts(TKernel kernel, int length)
    {
        this.kernel = kernel;
        this.length = length;
        parts = Math.Clamp(length / ElementsPerPart, 1, WorkerPool.Concurrency);
    }

    /// <summary>Runs <paramref name="kernel"/> over runs that together cover <c>[0, length)</c>.</summary>
    public static void Run(TKernel kernel, int length)
    {
        var work = new ElementwiseParts<TKernel>(kernel, length);
        WorkerPool.Run(ref work, work.parts);
    }

    public void Execute(int part)
    {
        int start = (int)((long)length * part / parts) & ~(Alignment - 1);
        int end = part == parts - 1 ? length : (int)((long)length * (part + 1) / parts) & ~(Alignment - 1);
        ElementwiseLoop.Run(kernel, start, end);
    }
}
