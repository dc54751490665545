namespace ConvGen.Kernels.Parallel;

/// <summary>
/// An element-wise function of one span into another (or the same), split into contiguous runs of whole cache lines,
/// one per core, when the spans are long enough to be worth it. Values never interact, so the split cannot change a result.
/// </summary>
internal readonly unsafe struct ElementwisePass : IPartitionedWork
{
    // Below this many elements one core finishes before a second would wake.
    private const int ElementsPerPart = 1 << 16;
    private const int Alignment = 16;

    private readonly delegate*<float*, float*, int, void> pass;
    private readonly float* source, target;
    private readonly int length, parts;

    private ElementwisePass(delegate*<float*, float*, int, void> pass, float* source, float* target, int length)
    {
        this.pass = pass;
        this.source = source;
        this.target = target;
        this.length = length;
        parts = Math.Clamp(length / ElementsPerPart, 1, WorkerPool.Concurrency);
    }

    /// <summary>Runs <c>pass(source + start, target + start, count)</c> over runs that together cover <c>[0, length)</c>.</summary>
    public static void Run(delegate*<float*, float*, int, void> pass, float* source, float* target, int length)
    {
        var work = new ElementwisePass(pass, source, target, length);
        WorkerPool.Run(ref work, work.parts);
    }

    public void Execute(int part)
    {
        int start = (int)((long)length * part / parts) & ~(Alignment - 1);
        int end = part == parts - 1 ? length : (int)((long)length * (part + 1) / parts) & ~(Alignment - 1);
        pass(source + start, target + start, end - start);
    }
}
