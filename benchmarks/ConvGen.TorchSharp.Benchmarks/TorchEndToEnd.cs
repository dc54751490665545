using ConvGen.TorchSharp;
using ConvGen.Training;

namespace ConvGen.Benchmarks;

/// <summary>The e2e cases of <c>EndToEndRunner</c> on a <see cref="TorchEngine{TNet}"/>: the same images per run, runs and warm-up.</summary>
internal static class TorchEndToEnd
{
    private const int TrainingImagesPerRun = 1280;
    private const int InferenceImagesPerRun = 5120;
    private const int Runs = 9;
    private const double WarmupSeconds = 1.0;

    public static void Run(string? network, TorchDevice device)
    {
        bool mnist = network is null or "mnist", lenet = network is null or "lenet";
        Console.WriteLine($"ConvGen on TorchSharp e2e: {Environment.ProcessorCount} cores, device {device}, {Runs} runs per case");
        if (mnist)
        {
            Train<MnistNet>("mnist", 64, device);
            Train<MnistNet>("mnist", 256, device);
        }

        if (lenet)
        {
            Train<LeNet>("lenet", 256, device);
        }

        if (mnist)
        {
            Infer<MnistNet>("mnist", 256, device);
        }

        if (lenet)
        {
            Infer<LeNet>("lenet", 256, device);
        }
    }

    private static void Train<TNet>(string name, int batch, TorchDevice device)
        where TNet : class, INetwork<TNet>
    {
        using TorchEngine<TNet> engine = Engine<TNet>(device);
        var optimizer = new Adam();
        using TorchOptimizer torchOptimizer = engine.Optimizer(optimizer, optimizer.CreateState(TNet.Layout.TrainableCount));
        var random = new Random(1);
        float[] images = Random(batch * TNet.Layout.InputSize, random);
        int[] labels = [.. Enumerable.Range(0, batch).Select(_ => random.Next(TNet.Layout.OutputSize))];
        float loss = 0;
        Measurement time = Measurement.Of(
            () =>
            {
                for (int step = 0; step < TrainingImagesPerRun / batch; step++)
                {
                    loss = engine.Step(images, labels, batch, TrainingLoss.CrossEntropy, 0f, torchOptimizer).Loss;
                }
            },
            warmups: 2, Runs, WarmupSeconds);
        Console.WriteLine($"{$"train {name} batch {batch}:",-24} {time.Rate(TrainingImagesPerRun, "images/s")}  loss {loss:F4}");
    }

    private static void Infer<TNet>(string name, int batch, TorchDevice device)
        where TNet : class, INetwork<TNet>
    {
        using TorchEngine<TNet> engine = Engine<TNet>(device);
        float[] images = Random(batch * TNet.Layout.InputSize, new Random(2));
        Measurement time = Measurement.Of(
            () =>
            {
                for (int pass = 0; pass < InferenceImagesPerRun / batch; pass++)
                {
                    engine.Forward(images, batch);
                }
            },
            warmups: 2, Runs, WarmupSeconds);
        Console.WriteLine($"{$"infer {name} batch {batch}:",-24} {time.Rate(InferenceImagesPerRun, "images/s")}");
    }

    private static TorchEngine<TNet> Engine<TNet>(TorchDevice device)
        where TNet : class, INetwork<TNet> =>
        TorchEngine<TNet>.Create(NetworkDefinition.Of<TNet>(), TNet.Initialize(seed: 0), device)
            .Match(Right: engine => engine, Left: error => throw new InvalidOperationException(error.Message));

    private static float[] Random(int count, Random random) => [.. Enumerable.Range(0, count).Select(_ => (float)random.NextDouble())];
}
