namespace ConvGen;

/// <summary>
/// Every buffer one forward and backward pass needs, sized once from the network's static shapes for up to
/// <see cref="BatchCapacity"/> samples and reused for every step, so a training step allocates nothing.
/// A workspace is engine-room state: one owner, one thread at a time.
/// </summary>
public abstract class NetworkWorkspace
{
    private float[] input;
    private readonly float[] output;
    private readonly float[] outputGradient;
    private readonly float[] updatedBuffers;

    /// <summary>
    /// Sizes the boundary buffers; the generated subclass sizes its own. The last <paramref name="bufferCount"/> of the
    /// <paramref name="parameterCount"/> values are buffers (BatchNorm's running statistics). A workspace not
    /// <paramref name="forTraining"/> holds no gradients and refuses <see cref="Backward"/>: inference needs less memory.
    /// </summary>
    protected NetworkWorkspace(int batchCapacity, int inputSize, int outputSize, int parameterCount, int bufferCount = 0, bool forTraining = true)
    {
        if (batchCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchCapacity), batchCapacity, "A workspace needs room for at least one sample.");
        }

        BatchCapacity = batchCapacity;
        InputSize = inputSize;
        OutputSize = outputSize;
        ParameterCount = parameterCount;
        input = new float[batchCapacity * inputSize];
        output = new float[batchCapacity * outputSize];
        outputGradient = forTraining ? new float[batchCapacity * outputSize] : [];
        ForTraining = forTraining;
        updatedBuffers = new float[bufferCount];
    }

    /// <summary>Whether the workspace can run <see cref="Backward"/>; an inference workspace holds no gradients.</summary>
    public bool ForTraining { get; }

    /// <summary>The most samples one pass can take.</summary>
    public int BatchCapacity { get; }

    /// <summary>Values per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Values per output sample.</summary>
    public int OutputSize { get; }

    /// <summary>Values in the flat parameter vector (and its gradient).</summary>
    public int ParameterCount { get; }

    /// <summary>Where the caller writes the batch, <c>(N, C, H, W)</c>, before <see cref="Forward"/>.</summary>
    public Span<float> Input => input;

    /// <summary>The last forward pass's output, <c>(N, OutputSize)</c>.</summary>
    public ReadOnlySpan<float> Output => output;

    /// <summary>Where the caller writes <c>dLoss/dOutput</c> before <see cref="Backward"/>.</summary>
    public Span<float> OutputGradient => outputGradient;

    /// <summary>
    /// The buffers (BatchNorm's running statistics, the tail of the parameter vector after
    /// <see cref="NetworkLayout.TrainableCount"/>) as the last <see cref="Forward"/> leaves them: updated by a training
    /// pass, as given by an evaluation pass. Forward never writes its <c>parameters</c>: a caller that keeps the
    /// update copies these over that tail, as the trainer does after each step. Empty when the network has no buffers.
    /// </summary>
    public ReadOnlySpan<float> UpdatedBuffers => updatedBuffers;

    /// <summary>Where the generated training pass updates the buffers in place; holds the given values when <see cref="ForwardCore"/> starts.</summary>
    protected Span<float> BufferUpdates => updatedBuffers;

    /// <summary>Runs the network on the first <paramref name="batch"/> samples of <see cref="Input"/>.</summary>
    /// <param name="parameters">The flat parameter vector, in layout order.</param>
    /// <param name="batch">Samples in this pass, 1 to <see cref="BatchCapacity"/>.</param>
    /// <param name="training">Whether dropout is active and BatchNorm uses (and updates) batch statistics.</param>
    /// <param name="seed">The randomness of this pass (dropout masks); the same seed gives the same masks.</param>
    public void Forward(ReadOnlySpan<float> parameters, int batch, bool training, ulong seed)
    {
        CheckBatch(batch);
        CheckParameters(parameters.Length, nameof(parameters));
        parameters[^updatedBuffers.Length..].CopyTo(updatedBuffers);
        ForwardCore(parameters, input, output, batch, training, seed);
    }

    /// <summary>
    /// Back-propagates <see cref="OutputGradient"/> through the last forward pass and overwrites
    /// <paramref name="parameterGradients"/> with <c>dLoss/dParameters</c> (zero for buffers).
    /// </summary>
    /// <exception cref="InvalidOperationException">The workspace was made for inference.</exception>
    public void Backward(ReadOnlySpan<float> parameters, int batch, Span<float> parameterGradients)
    {
        if (!ForTraining)
        {
            throw new InvalidOperationException("This workspace was made for inference (CreateInferenceWorkspace): it holds no gradients; use CreateWorkspace to train.");
        }

        CheckBatch(batch);
        CheckParameters(parameters.Length, nameof(parameters));
        CheckParameters(parameterGradients.Length, nameof(parameterGradients));
        BackwardCore(parameters, input, outputGradient, batch, parameterGradients);
    }

    /// <summary>
    /// Makes <paramref name="batch"/>, filled elsewhere, the input buffer and hands back the old one to be filled next:
    /// double buffering without a copy. Only between passes: a backward pass reads the input its forward pass read.
    /// </summary>
    internal void ExchangeInput(ref float[] batch)
    {
        if (batch.Length != input.Length)
        {
            throw new ArgumentException($"The input buffer holds {input.Length} values; a replacement of {batch.Length} does not fit.", nameof(batch));
        }

        (input, batch) = (batch, input);
    }

    /// <summary>The generated forward pass: one kernel call per layer, in declaration order.</summary>
    protected abstract void ForwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output, int batch, bool training, ulong seed);

    /// <summary>The generated backward pass: one kernel call per layer, in reverse.</summary>
    protected abstract void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, int batch, Span<float> parameterGradients);

    /// <summary>Refuses a capacity whose largest buffer, <paramref name="largestSampleSize"/> values per sample, would not fit in one array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is below one or too large.</exception>
    public static void CheckCapacity(int batchCapacity, long largestSampleSize)
    {
        if (batchCapacity < 1 || batchCapacity * largestSampleSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchCapacity), batchCapacity,
                $"A workspace holds 1 to {Array.MaxLength / Math.Max(1, largestSampleSize)} samples of this network (its largest activation has {largestSampleSize} values).");
        }
    }

    private void CheckBatch(int batch)
    {
        if (batch < 1 || batch > BatchCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"This workspace holds 1 to {BatchCapacity} samples.");
        }
    }

    private void CheckParameters(int length, string name)
    {
        if (length != ParameterCount)
        {
            throw new ArgumentException($"This network has {ParameterCount} parameters but {length} were given.", name);
        }
    }
}
