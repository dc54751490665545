using ConvGen.Kernels;
using ConvGen.Planning;

namespace ConvGen.Layers;

/// <summary>
/// A residual unit's sum or a concatenation in a <see cref="Sequential"/>: it reads several values, so the workspace
/// joins them through <see cref="Sum"/> and <see cref="Place"/>, the kernel calls the generated code makes; its backward
/// pass is the gradient schedule's moves (a copy or sum for each branch of a sum, a slice for each of a concatenation).
/// </summary>
internal sealed class MergeRunner(PlannedLayer plan, int batchCapacity) : LayerRunner(plan, batchCapacity)
{
    /// <summary><c>first + second</c> into the output; <c>max(0, first + second)</c> when it does the ReLU after it.</summary>
    public void Sum(ReadOnlySpan<float> first, ReadOnlySpan<float> second, int batch)
    {
        int values = batch * (int)Plan.Output.Volume;
        if (Plan.AppliesFollowing == LayerKind.ReLU)
        {
            Merges.AddRelu(first[..values], second[..values], Output.AsSpan(0, values));
        }
        else
        {
            Merges.Add(first[..values], second[..values], Output.AsSpan(0, values));
        }
    }

    /// <summary>One branch's <paramref name="partSize"/> values per sample into the output's channels from <paramref name="offset"/>.</summary>
    public void Place(ReadOnlySpan<float> part, long partSize, long offset, int batch) =>
        Merges.ConcatForward(part, Output, batch, (int)partSize, (int)Plan.Output.Volume, (int)offset);

    public override void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> bufferUpdates, int batch, bool training, ulong seed) =>
        throw new InvalidOperationException("A merge reads several values; the workspace joins them through Sum and Place.");

    public override bool Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> parameters, Span<float> parameterGradients, Span<float> gradient, Span<float> spare, int batch, bool inputGradient) =>
        throw new InvalidOperationException("A merge's backward pass is the gradient schedule's moves.");
}
