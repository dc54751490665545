using System.Collections.Immutable;
using ConvGen.Networks;

namespace ConvGen;

/// <summary>One tensor of the state: its PyTorch <c>state_dict()</c> key, where it sits in the flat vector, and its shape (OIHW for convolutions).</summary>
/// <param name="Name">The <c>state_dict()</c> key, e.g. <c>conv1.weight</c>.</param>
/// <param name="Offset">Where its values start in the flat vector.</param>
/// <param name="Shape">Its shape; empty for a scalar.</param>
/// <param name="Trainable">
/// False for a buffer (BatchNorm's running statistics): saved and loaded like a parameter, but never given a gradient
/// nor changed by an optimizer; a training-mode forward pass updates it. Buffers follow every trainable tensor in the vector.
/// </param>
/// <param name="IsCount">
/// A whole number (BatchNorm's <c>num_batches_tracked</c>): held in the float32 vector (exact up to 2^24) and stored in
/// checkpoints as int64, as PyTorch stores it.
/// </param>
public sealed record ParameterInfo(string Name, int Offset, ImmutableArray<int> Shape, bool Trainable = true, bool IsCount = false)
{
    /// <summary>Number of values, the product of <see cref="Shape"/>.</summary>
    public int Length => Shape.Aggregate(1, (product, size) => product * size);

    /// <summary>The shape as PyTorch prints it, e.g. <c>(16, 1, 3, 3)</c>.</summary>
    public string ShapeText => "(" + string.Join(", ", Shape) + ")";
}

/// <summary>
/// The input pixels one output value of a layer sees (<see cref="Height"/> x <see cref="Width"/>), and how far apart in
/// the input two neighbouring outputs' fields start (the jump, the product of the strides so far).
/// </summary>
public sealed record ReceptiveField(long Height, long Width, long JumpHeight, long JumpWidth);

/// <summary>
/// One row of a network's summary: what the layer is and what comes out of it, per sample: the output shape, its learned
/// values, its multiply-adds, its receptive field (null once flat) and the bytes of its float32 output (0 for a view).
/// </summary>
public sealed record LayerInfo(
    string Name,
    string Kind,
    ImmutableArray<int> OutputShape,
    int ParameterCount,
    long MultiplyAdds = 0,
    ReceptiveField? ReceptiveField = null,
    long ActivationBytes = 0)
{
    /// <summary>The output shape as <c>16x8x8</c>, or <c>256</c> once flat.</summary>
    public string OutputShapeText => string.Join("x", OutputShape);
}

/// <summary>The static description of a generated network: input and output sizes, layers, parameters, summary text.</summary>
public sealed record NetworkLayout(
    string NetworkName,
    ImmutableArray<int> InputShape,
    int OutputSize,
    ImmutableArray<LayerInfo> Layers,
    ImmutableArray<ParameterInfo> Parameters,
    string Summary)
{
    /// <summary>Values in one input sample, <c>C*H*W</c> (<c>C*L</c> for a sequence).</summary>
    public int InputSize => InputShape.Aggregate(1, (product, size) => product * size);

    /// <summary>Values in the flat parameter vector: the learned values, then the buffers.</summary>
    public int ParameterCount => Parameters.Sum(parameter => parameter.Length);

    /// <summary>
    /// Learned values, the vector's prefix that gradients and optimizers cover; the buffers (BatchNorm's running
    /// statistics) fill the rest, from this offset on.
    /// </summary>
    public int TrainableCount => Parameters.Where(parameter => parameter.Trainable).Sum(parameter => parameter.Length);

    /// <summary>Multiply-adds of one sample's forward pass, summed over the layers.</summary>
    public long MultiplyAdds => Layers.Sum(layer => layer.MultiplyAdds);

    /// <summary>Bytes of one sample's input and layer outputs, as float32.</summary>
    public long ActivationBytes => (long)InputSize * sizeof(float) + Layers.Sum(layer => layer.ActivationBytes);

    /// <summary>
    /// The summary table rendered from <see cref="InputShape"/> and <see cref="Layers"/> by the renderer the source generator
    /// uses for <see cref="Summary"/>, so the two texts are the same whenever the rows carry the compile-time figures.
    /// </summary>
    public string RenderSummary() => SummaryTable.Text(
        InputShape.Select(size => (long)size).ToArray(),
        Layers.Select(layer => new SummaryRow(
            layer.Name,
            layer.Kind,
            layer.OutputShape.Select(size => (long)size).ToArray(),
            layer.ParameterCount,
            layer.MultiplyAdds,
            layer.ReceptiveField is { } field ? new FieldAndJump(field.Height, field.Width, field.JumpHeight, field.JumpWidth) : null,
            layer.ActivationBytes)).ToArray(),
        ParameterCount - TrainableCount);

    /// <summary>Returns <paramref name="parameters"/> when its tensors have this network's keys and shapes; throws naming the first that differs.</summary>
    /// <exception cref="ArgumentException">The keys, shapes or count differ.</exception>
    public ParameterSet CheckParameters(ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Layout.Length != Parameters.Length)
        {
            throw new ArgumentException($"{NetworkName} has {Parameters.Length} parameter tensors but {parameters.Layout.Length} were given.", nameof(parameters));
        }

        for (int i = 0; i < Parameters.Length; i++)
        {
            ParameterInfo expected = Parameters[i], actual = parameters.Layout[i];
            if (expected.Name != actual.Name || !expected.Shape.SequenceEqual(actual.Shape) || expected.Offset != actual.Offset
                || expected.Trainable != actual.Trainable || expected.IsCount != actual.IsCount)
            {
                throw new ArgumentException(
                    $"{NetworkName} expects tensor {i} to be '{expected.Name}' {expected.ShapeText} but was given '{actual.Name}' {actual.ShapeText}.",
                    nameof(parameters));
            }
        }

        return parameters;
    }
}
