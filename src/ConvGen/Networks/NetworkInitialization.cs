using ConvGen.Kernels;

namespace ConvGen;

/// <summary>
/// Initialising a generated network with a chosen <see cref="WeightInit"/>: <c>MnistNet.Initialize(seed, WeightInit.KaimingNormal(Nonlinearity.ReLU))</c>.
/// It starts from PyTorch's default initialisation, the generated <c>Initialize(seed)</c>, and redraws every weight (every
/// tensor of two or more dimensions) from the scheme; biases keep PyTorch's default <c>U(-1/sqrt(fan_in), 1/sqrt(fan_in))</c>,
/// as after <c>nn.init.kaiming_normal_(layer.weight)</c> on each layer of a PyTorch model.
/// </summary>
public static class NetworkInitialization
{
    extension<TNet>(TNet)
        where TNet : class, INetwork<TNet>
    {
        /// <summary>
        /// A network whose weights are drawn from <paramref name="scheme"/> and whose biases are PyTorch's default, all from
        /// <paramref name="seed"/>: the same seed and scheme give the same values.
        /// </summary>
        public static TNet Initialize(int seed, WeightInit scheme) => TNet.FromParameters(TNet.Initialize(seed).Parameters.Reinitialize(scheme, seed));
    }

    /// <summary>
    /// A copy of <paramref name="parameters"/> with every weight (every tensor of two or more dimensions) redrawn from
    /// <paramref name="scheme"/>, tensor i from stream <c>tensors + i</c> of <paramref name="seed"/>, apart from the streams
    /// the default initialisation draws; every other tensor is copied as it is.
    /// </summary>
    public static ParameterSet Reinitialize(this ParameterSet parameters, WeightInit scheme, int seed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(scheme);
        float[] values = parameters.Values.ToArray();
        for (int i = 0; i < parameters.Layout.Length; i++)
        {
            ParameterInfo tensor = parameters.Layout[i];
            if (tensor.Shape.Length >= 2)
            {
                scheme.Fill(values.AsSpan(tensor.Offset, tensor.Length), tensor.Shape.AsSpan(), unchecked((ulong)seed), (ulong)(parameters.Layout.Length + i));
            }
        }

        return ParameterSet.Own(parameters.Layout, values);
    }
}
