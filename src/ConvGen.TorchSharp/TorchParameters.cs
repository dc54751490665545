using System.Collections.Immutable;
using static TorchSharp.torch;

namespace ConvGen.TorchSharp;

/// <summary>
/// Copies a <see cref="ParameterSet"/> into a module's <c>state_dict()</c> tensors and back, by key: ConvGen keeps
/// BatchNorm's buffers after every learned value, torch beside each layer's weights. <c>num_batches_tracked</c> is an
/// int64 scalar in torch and a float in the set, as checkpoints convert it.
/// </summary>
internal static class TorchParameters
{
    /// <summary>Writes every value of <paramref name="parameters"/> into the module's tensors of the same names.</summary>
    public static void Load(nn.Module module, ParameterSet parameters)
    {
        Dictionary<string, Tensor> state = module.state_dict();
        using var noGrad = no_grad();
        foreach (ParameterInfo info in parameters.Layout)
        {
            ReadOnlySpan<float> values = parameters.Values.Slice(info.Offset, info.Length);
            using Tensor source = info.IsCount ? tensor((long)values[0]) : tensor(values.ToArray(), Shape(info));
            state[info.Name].copy_(source);
        }
    }

    /// <summary>The module's tensors named by <paramref name="layout"/>, as a parameter set in that layout.</summary>
    public static ParameterSet Read(nn.Module module, ImmutableArray<ParameterInfo> layout)
    {
        Dictionary<string, Tensor> state = module.state_dict();
        float[] values = new float[layout.Sum(info => info.Length)];
        foreach (ParameterInfo info in layout)
        {
            CopyOut(state[info.Name], values.AsSpan(info.Offset, info.Length));
        }

        return ParameterSet.Create(layout, values);
    }

    /// <summary>The learned tensors of <paramref name="layout"/> in its order: what optimizers update.</summary>
    public static ImmutableArray<(ParameterInfo Info, Tensor Tensor)> Trainable(nn.Module module, ImmutableArray<ParameterInfo> layout)
    {
        Dictionary<string, Tensor> state = module.named_parameters().ToDictionary(pair => pair.name, pair => (Tensor)pair.parameter);
        return [.. layout.Where(info => info.Trainable).Select(info => (info, state[info.Name]))];
    }

    /// <summary>A tensor's values, on whatever device, as float32 into <paramref name="destination"/>.</summary>
    public static void CopyOut(Tensor source, Span<float> destination)
    {
        using Tensor host = source.detach().to(ScalarType.Float32, CPU).contiguous();
        host.data<float>().CopyTo(destination);
    }

    /// <summary>The shape of a parameter as torch takes it.</summary>
    public static long[] Shape(ParameterInfo info) => [.. info.Shape.Select(size => (long)size)];
}
