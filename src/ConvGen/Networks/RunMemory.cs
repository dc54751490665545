using ConvGen.Networks;
using ConvGen.Training;

namespace ConvGen;

/// <summary>
/// What a run of a network needs in memory, estimated from its layout before anything is allocated, and what the
/// process may still use (<see cref="GC.GetGCMemoryInfo()"/>: the machine's memory, or the container's or
/// <c>DOTNET_GCHeapHardLimit</c>'s limit, less what is in use). A run that cannot fit is refused as a value naming the
/// setting, instead of failing with <see cref="OutOfMemoryException"/> halfway.
/// </summary>
internal static class RunMemory
{
    // Inference runs in chunks whose workspace stays under this, whatever the number of samples.
    private const long InferenceChunkBytes = 64L << 20;

    // Evaluation after each epoch uses batches of this many samples.
    private const int ValidationBatch = 256;

    /// <summary>Values of the largest activation of one sample, the input included: what sizes the gradient buffers.</summary>
    public static long LargestActivation(NetworkLayout layout) =>
        layout.Layers.Select(layer => Volume(layer.OutputShape)).Append(layout.InputSize).Max();

    /// <summary>The most samples a workspace of <paramref name="layout"/> holds: its largest buffer must fit in one array.</summary>
    public static int MaximumBatch(NetworkLayout layout) => (int)Math.Min(int.MaxValue, Array.MaxLength / LargestActivation(layout));

    /// <summary>
    /// An upper bound on a workspace's bytes per sample: the boundary buffers (input, output, output gradient), every
    /// layer's output (views included, fused pairs counted twice), a buffer as large for each layer that keeps one
    /// (max pooling's indices, dropout's mask), and the two gradient buffers the backward pass alternates between.
    /// <c>Networks/RunMemoryTests</c> holds it against what workspaces really allocate.
    /// </summary>
    public static long WorkspaceBytesPerSample(NetworkLayout layout) =>
        sizeof(float) * (layout.InputSize + 2L * layout.OutputSize + 2 * LargestActivation(layout)
            + layout.Layers.Sum(layer => Volume(layer.OutputShape) * (KeepsASecondBuffer(layer) ? 2 : 1)));

    /// <summary>
    /// Bytes this process may still allocate: the memory the GC may use (the machine's, or a container's or
    /// <c>DOTNET_GCHeapHardLimit</c>'s limit) less what this process holds alive; other processes' use is not counted.
    /// With <paramref name="collect"/>, a full collection first makes "alive" exact instead of counting garbage.
    /// </summary>
    public static long AvailableBytes(bool collect)
    {
        long alive = GC.GetTotalMemory(forceFullCollection: collect);
        return Math.Max(0, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - alive);
    }

    /// <summary>
    /// Why a training run at <paramref name="batch"/> samples per step cannot run in this process, or null when it can;
    /// <paramref name="collect"/> as for <see cref="AvailableBytes"/> (worth it once before a run, not before every step).
    /// </summary>
    public static string? CheckTraining(NetworkLayout layout, int batch, Optimizer optimizer, int validationCount, bool collect) =>
        CheckTraining(layout, batch, optimizer, validationCount, AvailableBytes(collect));

    /// <summary>As the public overload, against <paramref name="available"/> bytes.</summary>
    internal static string? CheckTraining(NetworkLayout layout, int batch, Optimizer optimizer, int validationCount, long available)
    {
        int limit = MaximumBatch(layout);
        if (batch > limit)
        {
            return $"The batch size {batch} is more than a workspace of {layout.NetworkName} can hold: its largest activation has " +
                $"{LargestActivation(layout)} values per sample, so one buffer holds at most {limit} samples.";
        }

        long fixedBytes = TrainingBytes(layout, 0, optimizer, validationCount), perSample = TrainingBytes(layout, 1, optimizer, 0) - TrainingBytes(layout, 0, optimizer, 0);
        long needed = fixedBytes + batch * perSample;
        if (needed <= available)
        {
            return null;
        }

        long fitting = (available - fixedBytes) / perSample;
        return $"The batch size {batch} needs about {SummaryTable.Bytes(needed)} to train {layout.NetworkName} ({SummaryTable.Bytes(perSample)} per sample), " +
            $"more than the {SummaryTable.Bytes(available)} this process may still use; " +
            (fitting >= 1 ? $"a batch size of at most {fitting} fits." : "not even one sample fits.");
    }

    /// <summary>
    /// Bytes a training run allocates: per sample, the workspace, the prefetched batch, labels and one-hot targets; once,
    /// the parameters, their gradients, the copy a divergence falls back to, the returned model, the optimizer state and
    /// its copy, and a validation workspace.
    /// </summary>
    public static long TrainingBytes(NetworkLayout layout, int batch, Optimizer optimizer, int validationCount)
    {
        OptimizerState probe = optimizer.CreateState(1);
        int stateArrays = probe.FirstMoment.Length + probe.SecondMoment.Length;
        long perSample = WorkspaceBytesPerSample(layout) + sizeof(float) * (layout.InputSize + (long)layout.OutputSize) + sizeof(int);
        long once = (long)layout.ParameterCount * sizeof(float) * (4 + 2 * stateArrays)
            + WorkspaceBytesPerSample(layout) * Math.Min(ValidationBatch, validationCount);
        return once + batch * perSample;
    }

    /// <summary>
    /// How many of <paramref name="count"/> samples one inference pass takes: as many as keep its workspace under
    /// 64 MiB, at least one, at most what a workspace can hold.
    /// </summary>
    public static int InferenceBatch(NetworkLayout layout, int count) =>
        (int)Math.Clamp(InferenceChunkBytes / WorkspaceBytesPerSample(layout), 1, Math.Min(count, MaximumBatch(layout)));

    private static bool KeepsASecondBuffer(LayerInfo layer) => layer.Kind is "MaxPool2d" or "Dropout";

    private static long Volume(IEnumerable<int> shape) => shape.Aggregate(1L, (product, size) => product * size);
}
