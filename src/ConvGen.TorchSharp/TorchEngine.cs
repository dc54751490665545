using ConvGen.Training;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// One network's module on a device with a model's parameters in it: training steps, forward passes, and the model value
/// read back. The torch counterpart of the managed <c>TrainingEngine</c>; the model given is never changed.
/// </summary>
internal sealed class TorchEngine<TNet> : IDisposable
    where TNet : class
{
    private readonly NetworkDefinition<TNet> definition;
    private readonly ArchitectureModule module;
    private readonly Device device;
    private readonly Tensor[] buffers;

    private TorchEngine(NetworkDefinition<TNet> definition, ArchitectureModule module, Device device)
    {
        this.definition = definition;
        this.module = module;
        this.device = device;
        buffers = [.. module.buffers()];
    }

    public NetworkLayout Layout => definition.Layout;

    /// <summary>The module of <paramref name="definition"/>'s architecture on <paramref name="device"/>, holding <paramref name="model"/>'s values.</summary>
    public static Either<ConvGenError, TorchEngine<TNet>> Create(NetworkDefinition<TNet> definition, TNet model, TorchDevice device) =>
        ArchitectureModule.Create(definition.Architecture).Map((ArchitectureModule module) =>
        {
            module.to(device.Device);
            TorchParameters.Load(module, definition.ParametersOf(model));
            return new TorchEngine<TNet>(definition, module, device.Device);
        });

    /// <summary>The optimizer over this module's learned tensors, starting from <paramref name="state"/>.</summary>
    public TorchOptimizer Optimizer(Optimizer optimizer, OptimizerState state) =>
        new(optimizer, state, TorchParameters.Trainable(module, definition.Layout.Parameters), device);

    /// <summary>
    /// One training step on the first <paramref name="count"/> samples: the loss (with the L2 penalty) and how many
    /// the model before the step got right. A non-finite loss leaves the model as it was, running statistics included.
    /// </summary>
    public (float Loss, int Correct) Step(ReadOnlySpan<float> images, ReadOnlySpan<int> labels, int count, TrainingLoss loss, float l2Penalty, TorchOptimizer optimizer)
    {
        using var scope = NewDisposeScope();
        module.train();
        Tensor input = Input(images, count), targets = Labels(labels, count);
        // The training pass moves BatchNorm's running statistics; a step that is not taken must not keep that.
        Tensor[] buffersBefore = [.. buffers.Select(buffer => buffer.clone())];
        Tensor output = module.call(input);
        Tensor objective = TorchLoss.Of(loss, output, targets);
        float value = objective.item<float>();
        int correct = (int)output.argmax(1).eq(targets).sum().item<long>();
        if (!float.IsFinite(value))
        {
            using var noGrad = no_grad();
            for (int i = 0; i < buffers.Length; i++)
            {
                buffers[i].copy_(buffersBefore[i]);
            }

            return (value, correct);
        }

        if (l2Penalty > 0f)
        {
            // On learned values only, as the managed engine: running statistics are not parameters in PyTorch either.
            Tensor penalty = module.parameters().Select(parameter => parameter.square().sum()).Aggregate((sum, next) => sum + next) * l2Penalty;
            value += penalty.item<float>();
            objective = objective + penalty;
        }

        module.zero_grad();
        objective.backward();
        optimizer.Apply();
        return (value, correct);
    }

    /// <summary>The outputs <c>(count, outputs)</c> in evaluation mode (running statistics, no dropout), row-major.</summary>
    public float[] Forward(ReadOnlySpan<float> images, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        float[] outputs = new float[count * definition.Layout.OutputSize];
        TorchParameters.CopyOut(module.call(Input(images, count)), outputs);
        return outputs;
    }

    /// <summary>The module's values as the model value.</summary>
    public TNet Snapshot() => definition.FromParameters(TorchParameters.Read(module, definition.Layout.Parameters));

    /// <inheritdoc/>
    public void Dispose() => module.Dispose();

    private Tensor Input(ReadOnlySpan<float> images, int count)
    {
        int size = definition.Layout.InputSize;
        return tensor(images[..(count * size)].ToArray(), [count, size], ScalarType.Float32, device);
    }

    private Tensor Labels(ReadOnlySpan<int> labels, int count) =>
        tensor(labels[..count].ToArray().Select(label => (long)label).ToArray(), [count], ScalarType.Int64, device);
}
