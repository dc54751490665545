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
        WarmUp(action, warmups, warmupSeconds);
        var seconds = new double[runs];
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < runs; i++)
        {
            seconds[i] = Time(action);
        }

        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / runs;
        return Summarise(seconds, cpu);
    }

    /// <summary>
    /// Times two actions in turn, one run of each at a time, after warming both up as <see cref="Of"/> does: a change in
    /// what the rest of the machine takes falls on both alike, so their ratio holds better than two separate series'.
    /// </summary>
    public static (Measurement First, Measurement Second) Alternating(Action first, Action second, int warmups, int runs, double warmupSeconds = 0)
    {
        WarmUp(first, warmups, warmupSeconds);
        WarmUp(second, warmups, warmupSeconds);
        double[] firstSeconds = new double[runs], secondSeconds = new double[runs];
        TimeSpan firstCpu = TimeSpan.Zero, secondCpu = TimeSpan.Zero;
        for (int i = 0; i < runs; i++)
        {
            TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            firstSeconds[i] = Time(first);
            TimeSpan cpuMiddle = Process.GetCurrentProcess().TotalProcessorTime;
            secondSeconds[i] = Time(second);
            firstCpu += cpuMiddle - cpuStart;
            secondCpu += Process.GetCurrentProcess().TotalProcessorTime - cpuMiddle;
        }

        return (Summarise(firstSeconds, firstCpu.TotalSeconds / runs), Summarise(secondSeconds, secondCpu.TotalSeconds / runs));
    }

    /// <summary>Runs <paramref name="action"/> untimed <paramref name="warmups"/> times and for at least <paramref name="warmupSeconds"/>.</summary>
    public static void WarmUp(Action action, int warmups, double warmupSeconds)
    {
        long warmupStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmups || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < warmupSeconds; i++)
        {
            action();
        }
    }

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static Measurement Summarise(double[] seconds, double cpuSecondsPerRun)
    {
        Array.Sort(seconds);
        return new Measurement(seconds[0], seconds[seconds.Length / 2], seconds[^1], cpuSecondsPerRun);
    }

    /// <summary>A rate per second (work / time): the best run gives the maximum, the worst the minimum.</summary>
    public string Rate(double work, string unit) =>
        $"{work / MedianSeconds,10:F1} {unit} (min {work / MaxSeconds:F1}, max {work / MinSeconds:F1}; cpu {CpuSecondsPerRun * 1e3:F1} ms/run)";

    /// <summary>The times in milliseconds.</summary>
    public string Milliseconds => $"{MedianSeconds * 1e3,8:F3} ms (min {MinSeconds * 1e3:F3}, max {MaxSeconds * 1e3:F3}; cpu {CpuSecondsPerRun * 1e3:F3})";
}
