using System.Globalization;
using ConvGen.Data;
using ConvGen.Onnx;
using ConvGen.Terminal;
using ConvGen.Training;
using Microsoft.ML.OnnxRuntime;

namespace ConvGen.Samples.OnnxDeployment;

/// <summary>What the run found: each engine's test accuracy, and on how many test images their predictions agree.</summary>
/// <param name="TestCount">Test images.</param>
/// <param name="Agreeing">Test images both engines give the same class.</param>
/// <param name="ConvGenAccuracy">ConvGen's test accuracy, in [0, 1].</param>
/// <param name="OnnxRuntimeAccuracy">ONNX Runtime's test accuracy on the exported file, in [0, 1].</param>
/// <param name="LargestDifference">The largest difference between the two engines' outputs (logits).</param>
public sealed record DeploymentResult(int TestCount, int Agreeing, float ConvGenAccuracy, float OnnxRuntimeAccuracy, float LargestDifference);

/// <summary>Trains on the embedded digits, exports to ONNX, and runs the test split through both engines.</summary>
public static class OnnxDeployment
{
    /// <summary>The whole path, reported to <paramref name="output"/> (the training's progress to <paramref name="display"/>); the model is written to <paramref name="onnxPath"/>.</summary>
    public static DeploymentResult Run(TextWriter output, TrainingDisplay display, string onnxPath, int epochs = 10, int seed = 7)
    {
        Dataset all = DigitsData.LoadEmbedded();
        (Dataset train, Dataset test) = all.Split(0.8, seed);
        output.WriteLine($"data: {all.Count} images of {all.SampleShapeText}; train {train.Count}, test {test.Count} (seed {seed})");

        var options = new TrainingOptions(Epochs: epochs, BatchSize: 32, Optimizer: new Adam(LearningRate: 2e-3f), Seed: seed);
        DeployableDigitsNet model = display.Show(progress => Trainer.Fit(DeployableDigitsNet.Initialize(seed), train, options, validation: null, progress)).Match(
            Right: trained => trained.Model,
            Left: error => throw new InvalidOperationException(error.Message));
        output.WriteLine($"trained {epochs} epochs");

        // The one call: errors (a layer with no ONNX form, a path that cannot be written) come back as values.
        OnnxExport.Save(model, onnxPath).Match(
            Right: _ => output.WriteLine($"exported: {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes, opset {OnnxExport.Opset})"),
            Left: error => throw new InvalidOperationException(error.Message));

        float[] ours = model.Predict(test.Images, test.Count);
        float[] theirs = RunInOnnxRuntime(onnxPath, test, output);
        DeploymentResult result = Compare(ours, theirs, test);
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "ConvGen test accuracy:      {0:F2}%", result.ConvGenAccuracy * 100));
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "ONNX Runtime test accuracy: {0:F2}%", result.OnnxRuntimeAccuracy * 100));
        output.WriteLine($"predictions agree on {result.Agreeing} of {result.TestCount} test images");
        output.WriteLine(result.LargestDifference < 1e-5f
            ? "outputs agree within 1e-5"
            : string.Format(CultureInfo.InvariantCulture, "outputs differ by up to {0:E1}", result.LargestDifference));
        return result;
    }

    // Loads the file as any deployment would, and runs the whole test split as one batch.
    private static float[] RunInOnnxRuntime(string onnxPath, Dataset test, TextWriter output)
    {
        using var session = new InferenceSession(onnxPath);
        ModelMetadata metadata = session.ModelMetadata;
        output.WriteLine($"ONNX Runtime loaded {metadata.GraphName} from {metadata.ProducerName} {metadata.CustomMetadataMap[OnnxExport.VersionKey]}: " +
            $"input '{session.InputNames[0]}' {Shape(session.InputMetadata[session.InputNames[0]])}, output '{session.OutputNames[0]}' {Shape(session.OutputMetadata[session.OutputNames[0]])}");

        float[] images = test.Images.ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(images, [test.Count, test.Channels, test.Height, test.Width]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static DeploymentResult Compare(float[] ours, float[] theirs, Dataset test)
    {
        int classes = ours.Length / test.Count, agreeing = 0, oursRight = 0, theirsRight = 0;
        for (int i = 0; i < test.Count; i++)
        {
            int ourClass = Inference.ArgMax(ours.AsSpan(i * classes, classes)), theirClass = Inference.ArgMax(theirs.AsSpan(i * classes, classes));
            agreeing += ourClass == theirClass ? 1 : 0;
            oursRight += ourClass == test.Labels[i] ? 1 : 0;
            theirsRight += theirClass == test.Labels[i] ? 1 : 0;
        }

        float largest = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        return new DeploymentResult(test.Count, agreeing, (float)oursRight / test.Count, (float)theirsRight / test.Count, largest);
    }

    // (batch, 1, 8, 8): ONNX Runtime reports the dynamic batch as -1 and names it.
    private static string Shape(NodeMetadata value) =>
        "(" + string.Join(", ", value.Dimensions.Select((size, axis) => size < 0 ? value.SymbolicDimensions[axis] : size.ToString(CultureInfo.InvariantCulture))) + ")";
}
