using System.Diagnostics;

namespace ConvGen.Benchmarks;

/// <summary>
/// Repeated wall-clock timings of one action, summarised as min / median / max (others share this machine), and the
/// process's CPU time per run, which other processes' load disturbs far less than wall time.
/// </summary>
public sealed record Measurement(double MinSeconds, double MedianSeconds, double MaxSeconds, double CpuSecondsPerRun)
{
    /// <summary>
    /// Runs <paramref name="action"/> untimed <paramref name="warmups"/> times and for at least <paramref name="warmupSeconds"/>
    /// (short cases otherwise meet the JIT's tiers half way through the timed runs), then times <paramref name="runs"/> runs.
    /// </summary>
    public static Measurement Of(Action action, int warmups, int runs, double warmupSeconds = 0)
    {
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmups || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < warmupSeconds; i++)
        {
            action();
        }

        var seconds = new double[runs];
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / runs;
        Array.Sort(seconds);
        return new Measurement(seconds[0], seconds[runs / 2], seconds[^1], cpu);
    }

    /// <summary>A rate per second (work / time): the best run gives the maximum, the worst the minimum.</summary>
    public string Rate(double work, string unit) =>
        $"{work / MedianSeconds,10:F1} {unit} (min {work / MaxSeconds:F1}, max {work / MinSeconds:F1}; cpu {CpuSecondsPerRun * 1e3:F1} ms/run)";

    /// <summary>The times in milliseconds.</summary>
    public string Milliseconds => $"{MedianSeconds * 1e3,8:F3} ms (min {MinSeconds * 1e3:F3}, max {MaxSeconds * 1e3:F3}; cpu {CpuSecondsPerRun * 1e3:F3})";
}
