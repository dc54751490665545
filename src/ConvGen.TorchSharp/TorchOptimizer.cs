using System.Collections.Immutable;
using ConvGen.Training;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// The managed optimizers' updates written in torch operations on the device, so that a run can start from and hand back
/// the same <see cref="OptimizerState"/> (moments in the layout's order of learned values) as the managed backend:
/// <see cref="Sgd"/> with momentum (the first step takes the gradient as the buffer), Nesterov and weight decay, as
/// <c>torch.optim.SGD</c>; <see cref="Adam"/> with L2 or decoupled weight decay (AdamW), as <c>torch.optim.Adam</c>/<c>AdamW</c>.
/// </summary>
internal sealed class TorchOptimizer : IDisposable
{
    private readonly Optimizer optimizer;
    private readonly ImmutableArray<(ParameterInfo Info, Tensor Tensor)> parameters;
    private readonly Tensor[] first;
    private readonly Tensor[] second;
    private readonly int firstOffset;
    private int step;

    public TorchOptimizer(Optimizer optimizer, OptimizerState state, ImmutableArray<(ParameterInfo Info, Tensor Tensor)> parameters, Device device)
    {
        this.optimizer = optimizer;
        this.parameters = parameters;
        step = state.Step;
        // Moments are indexed from the first learned value; the layout puts every learned value before any buffer.
        firstOffset = parameters.IsEmpty ? 0 : parameters[0].Info.Offset;
        first = [.. parameters.Select(p => Moment(state.First, p.Info, device))];
        second = [.. parameters.Select(p => Moment(state.Second, p.Info, device))];
    }

    /// <summary>Whether <paramref name="optimizer"/> has a torch form here; null if so, else why not.</summary>
    public static string? Check(Optimizer optimizer) =>
        optimizer is Sgd or Adam ? null : $"{optimizer.GetType().Name} has no TorchSharp form in this version of ConvGen.TorchSharp; use Sgd, Adam or Adam.W.";

    /// <summary>One update from the gradients the last backward pass left on the parameters.</summary>
    public void Apply()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        switch (optimizer)
        {
            case Sgd sgd:
                ApplySgd(sgd);
                break;
            case Adam adam:
                ApplyAdam(adam);
                break;
            default:
                throw new InvalidOperationException(Check(optimizer));
        }
    }

    /// <summary>The optimizer state as the managed backend holds it.</summary>
    public OptimizerState Snapshot()
    {
        int count = parameters.Sum(p => p.Info.Length);
        return new OptimizerState(step, Gather(first, count), Gather(second, count));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Tensor moment in first.Concat(second).Where(moment => moment is not null))
        {
            moment.Dispose();
        }
    }

    private void ApplySgd(Sgd sgd)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor parameter = parameters[i].Tensor, gradient = parameter.grad ?? zeros_like(parameter);
            if (sgd.WeightDecay != 0f)
            {
                gradient = gradient.add(parameter, sgd.WeightDecay);
            }

            if (sgd.Momentum != 0f)
            {
                Tensor buffer = step == 0 ? first[i].copy_(gradient) : first[i].mul_(sgd.Momentum).add_(gradient);
                gradient = sgd.Nesterov ? gradient.add(buffer, sgd.Momentum) : buffer;
            }

            parameter.add_(gradient, -sgd.LearningRate);
        }

        step++;
    }

    private void ApplyAdam(Adam adam)
    {
        step++;
        // The managed update's arithmetic: denominator sqrt(v) / sqrt(1 - beta2^t) + eps, step size lr / (1 - beta1^t).
        float stepSize = adam.LearningRate / (1f - MathF.Pow(adam.Beta1, step));
        float inverseRootCorrection2 = 1f / MathF.Sqrt(1f - MathF.Pow(adam.Beta2, step));
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor parameter = parameters[i].Tensor, gradient = parameter.grad ?? zeros_like(parameter);
            if (adam.DecoupledWeightDecay)
            {
                parameter.mul_(1f - adam.LearningRate * adam.WeightDecay);
            }
            else if (adam.WeightDecay != 0f)
            {
                gradient = gradient.add(parameter, adam.WeightDecay);
            }

            first[i].mul_(adam.Beta1).add_(gradient, 1f - adam.Beta1);
            second[i].mul_(adam.Beta2).addcmul_(gradient, gradient, 1f - adam.Beta2);
            Tensor denominator = second[i].sqrt().mul_(inverseRootCorrection2).add_(adam.Epsilon);
            parameter.addcdiv_(first[i], denominator, -stepSize);
        }
    }

    // A moment of one parameter from the managed state (zeros when the state holds none yet).
    private Tensor Moment(float[] values, ParameterInfo info, Device device) =>
        values.Length == 0
            ? zeros(TorchParameters.Shape(info), ScalarType.Float32, device)
            : tensor(values.AsSpan(info.Offset - firstOffset, info.Length).ToArray(), TorchParameters.Shape(info), ScalarType.Float32, device);

    private float[] Gather(Tensor[] moments, int count)
    {
        // Plain SGD keeps no moments; momentum SGD only the first; the managed state's lengths say the same.
        bool kept = moments == first ? optimizer is Adam || optimizer is Sgd { Momentum: not 0f } : optimizer is Adam;
        if (!kept)
        {
            return [];
        }

        float[] values = new float[count];
        for (int i = 0; i < parameters.Length; i++)
        {
            TorchParameters.CopyOut(moments[i], values.AsSpan(parameters[i].Info.Offset - firstOffset, parameters[i].Info.Length));
        }

        return values;
    }
}
