using ConvGen.Kernels;

namespace ConvGen.Tests.Training;

/// <summary>
/// The generated Backward, end to end, against central finite differences of the generated Forward: proves the
/// emitter wires every layer's gradient in the right order, into the right slice, with the right buffers.
/// </summary>
public sealed class GeneratedGradientTests
{
    private const int Batch = 3;

    [Fact]
    public void BackwardMatchesFiniteDifferencesForEveryParameterTensor() => CheckGradients<EveryLayerNet>(step: 1e-2f);

    [Fact]
    public void BackwardMatchesFiniteDifferencesWithDilationGroupsSamePaddingCeilModeAndAdaptivePooling() =>
        // Its conv2 bias sits within 1e-3 of a ReLU or max-pool kink: a wider step would difference across it.
        CheckGradients<EveryOptionNet>(step: 3e-4f);

    [Fact]
    public void BackwardMatchesFiniteDifferencesThroughTanhSigmoidAndLeakyReLU() => CheckGradients<ActivationNet>(step: 1e-2f);

    [Fact]
    public void BackwardMatchesFiniteDifferencesThroughElu() => CheckGradients<EluNet>(step: 1e-2f);

    // Cross-entropy after a LogSoftmax sends it gradients that sum to zero over the classes, which its backward then
    // passes unchanged: a weighted sum of the outputs checks that last layer's backward in full.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardMatchesFiniteDifferencesThroughConv1dOverASequence(bool weightedOutputs) =>
        CheckGradients<SequenceNet>(step: 1e-2f, weightedOutputs);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardMatchesFiniteDifferencesThroughSoftmaxAndLogSoftmax(bool weightedOutputs) =>
        CheckGradients<SoftmaxNet>(step: 1e-2f, weightedOutputs);

    [Fact]
    public void BackwardMatchesFiniteDifferencesThroughBatchNormInTraining() =>
        // Batch statistics: every sample moves every other's output. The buffers (probed too) get exactly zero.
        // A batch norm first, on the input: its input gradient is computed and dropped.
        CheckGradients<SmoothBatchNormNet>(step: 1e-2f);

    internal static void CheckGradients<TNetwork>(float step, bool weightedOutputs = false)
        where TNetwork : class, INetwork<TNetwork>
    {
        NetworkLayout layout = TNetwork.Layout;
        float[] parameters = TNetwork.Initialize(seed: 11).Parameters.Values.ToArray();
        NetworkWorkspace workspace = TNetwork.CreateWorkspace(Batch);
        var random = new Random(5);
        for (int i = 0; i < workspace.Input.Length; i++)
        {
            workspace.Input[i] = (float)(random.NextDouble() * 2 - 1);
        }

        int[] labels = [0, 2, 1];
        float[]? outputWeights = weightedOutputs ? Enumerable.Range(0, Batch * layout.OutputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray() : null;
        const ulong seed = 99; // the same dropout mask for every evaluation
        var gradients = new float[parameters.Length];
        Loss(workspace, parameters, labels, outputWeights, seed, gradientsInto: gradients);

        foreach (ParameterInfo tensor in layout.Parameters)
        {
            // A few entries of every tensor; the objective is float32 inside, accumulated in double outside.
            for (int probe = 0; probe < 4; probe++)
            {
                int index = tensor.Offset + random.Next(tensor.Length);
                float original = parameters[index];
                parameters[index] = original + step;
                double plus = Loss(workspace, parameters, labels, outputWeights, seed, gradientsInto: null);
                parameters[index] = original - step;
                double minus = Loss(workspace, parameters, labels, outputWeights, seed, gradientsInto: null);
                parameters[index] = original;
                double numeric = (plus - minus) / (2 * step);
                // float32 forward passes: differences carry ~1e-6 noise / 2e-2, so allow 2e-3 absolute on top of 2% relative.
                Assert.True(
                    Math.Abs(numeric - gradients[index]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                    $"{tensor.Name}[{index - tensor.Offset}]: backward {gradients[index]}, finite difference {numeric}");
            }
        }
    }

    // Cross-entropy over the outputs, or sum_i r_i * y_i (in double) with fixed weights r, whose gradient is r.
    private static double Loss(NetworkWorkspace workspace, float[] parameters, int[] labels, float[]? outputWeights, ulong seed, float[]? gradientsInto)
    {
        workspace.Forward(parameters, Batch, training: true, seed);
        double loss;
        if (outputWeights is null)
        {
            loss = CrossEntropy.LossAndGradient(workspace.Output, labels, workspace.OutputGradient, Batch, workspace.OutputSize);
        }
        else
        {
            loss = 0;
            for (int i = 0; i < outputWeights.Length; i++)
            {
                loss += (double)workspace.Output[i] * outputWeights[i];
            }

            outputWeights.CopyTo(workspace.OutputGradient);
        }

        if (gradientsInto is not null)
        {
            workspace.Backward(parameters, Batch, gradientsInto);
        }

        return loss;
    }
}
