namespace ConvGen.Kernels.Parallel;

/// <summary>An optimizer rule applied independently to each element of the flat parameter vector and its buffers.</summary>
internal unsafe interface IElementwiseUpdate
{
    /// <summary>Updates elements <c>[start, end)</c>.</summary>
    void Apply(int start, int end, float* parameters, float* gradients, float* first, float* second);
}

/// <summary>
/// Splits an element-wise update into contiguous runs of whole cache lines, one per part. Elements never interact,
/// so the split cannot change a result.
/// </summary>
internal readonly unsafe struct ElementwiseWork<TUpdate>(TUpdate update, int length, float* parameters, float* gradients, float* first, float* second)
    : IPartitionedWork
    where TUpdate : unmanaged, IElementwiseUpdate
{
    // Below this many elements one core finishes before a second would wake.
    private const int ElementsPerPart = 1 << 16;
    private const int Alignment = 16;

    /// <summary>How many parts this update is worth.</summary>
    public int Parts => Math.Clamp(length / ElementsPerPart, 1, WorkerPool.Concurrency);

    public void Execute(int part)
    {
        int parts = Parts;
        int start = (int)((long)length * part / parts) & ~(Alignment - 1);
        int end = part == parts - 1 ? length : (int)((long)length * (part + 1) / parts) & ~(Alignment - 1);
        update.Apply(start, end, parameters, gradients, first, second);
    }
}
