using System.Diagnostics;

namespace ConvGen.Benchmarks;

/// <summary>
/// Where the time of one <see cref="MnistNet"/> training step (batch 64) and inference pass (batch 256), and of
/// <see cref="LeNet"/>'s at batch 256, goes: the kernels the generated Forward and Backward call, run in their order
/// step after step, each call timed.
/// </summary>
/// <remarks>
/// The calls mirror the generated code (see the NotebookMnist snapshot in the generator tests, and LeNet.g.cs).
/// </remarks>
public static class LayerProfile
{
    private const int Runs = 25;

    /// <summary>Profiles <paramref name="network"/> ("mnist" or "lenet"), or both when it is null.</summary>
    public static void Run(string? network)
    {
        if (network is null or "mnist")
        {
            Profile("mnist training step, batch 64", new MnistKernels(64).TrainingStep());
            Profile("mnist inference, batch 256", new MnistKernels(256).Inference());
        }

        if (network is null or "lenet")
        {
            Profile("lenet training step, batch 256", new LeNetKernels(256).TrainingStep());
            Profile("lenet inference, batch 256", new LeNetKernels(256).Inference());
        }
    }

    // The calls run in order, step after step, as in training, so each finds the caches as the one before left them;
    // each call is timed on its own and reported as its median over the steps.
    private static void Profile(string title, IReadOnlyList<(string Name, Action Call)> calls)
    {
        var seconds = new double[calls.Count][];
        for (int i = 0; i < calls.Count; i++)
        {
            seconds[i] = new double[Runs];
        }

        for (int run = -2; run < Runs; run++)
        {
            for (int i = 0; i < calls.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                calls[i].Call();
                if (run >= 0)
                {
                    seconds[i][run] = Stopwatch.GetElapsedTime(start).TotalSeconds;
                }
            }
        }

        double[] medians = seconds.Select(s => s.Order().ElementAt(Runs / 2)).ToArray();
        double total = medians.Sum();
        Console.WriteLine($"{title}: {total * 1e3:F2} ms in all (sum of medians over {Runs} steps)");
        for (int i = 0; i < calls.Count; i++)
        {
            Console.WriteLine($"  {calls[i].Name,-28} {medians[i] * 1e3,8:F3} ms (min {seconds[i].Min() * 1e3:F3}, max {seconds[i].Max() * 1e3:F3})  {medians[i] / total,6:P1}");
        }
    }

    /// <summary><paramref name="count"/> values drawn uniformly from [0, 1).</summary>
    internal static float[] Filled(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return values;
    }
}
