using ConvGen.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace ConvGen.Benchmarks;

/// <summary>
/// ONNX Runtime's inference of a network exported by ConvGen.Onnx: the same parameters and inputs as
/// <see cref="EndToEndRunner"/>'s inference case, with as many threads as ConvGen uses, input and output buffers bound
/// once, so both time the forward pass alone. Its line is named after ConvGen's case with " onnxruntime" appended,
/// which is how run.sh pairs the two.
/// </summary>
internal sealed class OnnxRuntimeInference<TNet> : IDisposable
    where TNet : class, INetwork<TNet>
{
    private readonly int steps;
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue input, output;

    public OnnxRuntimeInference(int batch, int steps, float[] images)
    {
        this.steps = steps;
        byte[] onnx = OnnxExport.ToBytes(TNet.Initialize(seed: 0)).Match(Right: bytes => bytes, Left: error => throw new InvalidOperationException(error.Message));
        using var options = new SessionOptions
        {
            IntraOpNumThreads = Environment.ProcessorCount,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        session = new InferenceSession(onnx, options);
        input = OrtValue.CreateTensorValueFromMemory(images, [batch, .. TNet.Layout.InputShape.Select(size => (long)size)]);
        output = OrtValue.CreateTensorValueFromMemory(new float[batch * TNet.Layout.OutputSize], [batch, TNet.Layout.OutputSize]);
    }

    public void Passes()
    {
        for (int i = 0; i < steps; i++)
        {
            session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.OutputName], [output]);
        }
    }

    public void Dispose()
    {
        input.Dispose();
        output.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }
}
