using System.Collections.Immutable;
using ConvGen.Layers;
using ConvGen.Training;
using Microsoft.ML.OnnxRuntime;

namespace ConvGen.Onnx.Tests;

/// <summary>
/// The check every export test makes: the exported bytes run in ONNX Runtime and give ConvGen's evaluation-mode
/// outputs (<c>Predict</c>) within 1e-5 (relative above 1), at batch 1 and batch 7, through the one dynamic batch dimension.
/// </summary>
internal static class OnnxRuntimeCheck
{
    public const double Tolerance = 1e-5;

    /// <summary>Exports a generated network with perturbed parameters and compares.</summary>
    public static void ExportMatches<TNet>(int seed = 1)
        where TNet : class, INetwork<TNet>
    {
        TNet model = TNet.FromParameters(RandomParameters.Perturb(TNet.Initialize(seed).Parameters, seed));
        byte[] onnx = Expect.Right(OnnxExport.ToBytes(model));
        Compare(onnx, TNet.Architecture, (input, count) => model.Predict(input, count), seed);
    }

    /// <summary>Exports a run-time network with perturbed parameters and compares.</summary>
    public static void ExportMatches(Sequential sequential, int seed = 1)
    {
        SequentialNetwork model = sequential.FromParameters(RandomParameters.Perturb(sequential.Initialize(seed).Parameters, seed));
        byte[] onnx = Expect.Right(OnnxExport.ToBytes(model));
        Compare(onnx, sequential.Architecture, (input, count) => model.Predict(input, count), seed);
    }

    /// <summary>ONNX Runtime's outputs for <paramref name="input"/>, <paramref name="batch"/> samples of <paramref name="sampleShape"/>, with the output's shape.</summary>
    public static (float[] Values, long[] Shape) Run(byte[] onnx, float[] input, int batch, ImmutableArray<int> sampleShape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(onnx, options);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [batch, .. sampleShape.Select(size => (long)size)]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExport.InputName], [value], [OnnxExport.OutputName]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[0].GetTensorTypeAndShape().Shape);
    }

    /// <summary>Asserts that the model's outputs and ONNX Runtime's agree at batch 1 and 7.</summary>
    public static void Compare(byte[] onnx, Architecture architecture, Func<float[], int, float[]> predict, int seed)
    {
        ImmutableArray<int> outputShape = architecture.Nodes.IsEmpty ? architecture.InputShape : architecture.Nodes[^1].OutputShape;
        int sampleSize = architecture.InputShape.Aggregate(1, (product, size) => product * size);
        foreach (int batch in (int[])[1, 7])
        {
            float[] input = RandomParameters.Input(batch * sampleSize, seed * 31 + batch);
            float[] expected = predict(input, batch);
            (float[] actual, long[] shape) = Run(onnx, input, batch, architecture.InputShape);
            Assert.Equal([batch, .. outputShape.Select(size => (long)size)], shape);
            AssertClose(expected, actual, $"{architecture.Name} at batch {batch}");
        }
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            if (!(difference <= Tolerance * Math.Max(1, Math.Abs(expected[i]))))
            {
                Assert.Fail($"{what}: output {i} is {actual[i]:R} in ONNX Runtime but {expected[i]:R} in ConvGen (difference {difference:E2}).");
            }
        }
    }
}
