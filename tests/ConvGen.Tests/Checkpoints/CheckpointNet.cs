namespace ConvGen.Tests.Checkpoints;

/// <summary>
/// The network of the checkpoint tests, declared the same in <c>tools/fixtures/make_checkpoint_fixtures.py</c>: two
/// convolutions (the second without bias) and a linear layer, so keys, OIHW and (out, in) layouts all show.
/// </summary>
[Network(InputChannels = 2, InputHeight = 6, InputWidth = 6)]
[Conv2d(4, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(6, Kernel = 2, Bias = false), ReLU]
[Flatten, Linear(24, 5)]
public sealed partial record CheckpointNet
{
    /// <summary>
    /// Parameters from a fixed integer formula, every value a multiple of 1/64 in [-0.78, 0.78], so they are exact in
    /// float32 and the same on every machine and .NET version (unlike <c>Initialize</c>, which may change).
    /// </summary>
    public static CheckpointNet WithFormulaParameters()
    {
        return FromParameters(ParameterSet.Create(Layout.Parameters, Formula(Layout.ParameterCount)));
    }

    /// <summary><paramref name="count"/> values of the formula above.</summary>
    internal static float[] Formula(int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((i * 37) % 101 - 50) / 64f;
        }

        return values;
    }
}
