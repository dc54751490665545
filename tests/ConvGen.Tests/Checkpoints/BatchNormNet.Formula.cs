
namespace ConvGen.Tests;

public sealed partial record BatchNormNet
{
    /// <summary>
    /// As <see cref="Checkpoints.CheckpointNet.WithFormulaParameters"/>, with what PyTorch needs of the buffers: running
    /// variances in [0.5, 1.28] and batch counts of 7.
    /// </summary>
    public static BatchNormNet WithFormulaParameters()
    {
        float[] values = Checkpoints.CheckpointNet.Formula(ParameterCount);
        foreach (ParameterInfo parameter in Layout.Parameters)
        {
            Span<float> tensor = values.AsSpan(parameter.Offset, parameter.Length);
            if (parameter.IsCount)
            {
                tensor.Fill(7f);
            }
            else if (parameter.Name.EndsWith(".running_var", StringComparison.Ordinal))
            {
                foreach (ref float variance in tensor)
                {
                    variance = 0.5f + Math.Abs(variance);
                }
            }
        }

        return FromParameters(ParameterSet.Create(Layout.Parameters, values));
    }
}
