using System.Diagnostics;
using System.Globalization;

namespace ConvGen.Kernels;

/// <summary>
/// Where the time of some work goes, kernel by kernel: <c>KernelProfiler.Record(() => ...)</c> runs the work and
/// returns every kernel call it made (convolutions, BatchNorm, activations, pooling, merges, fully connected layers,
/// losses, optimizer updates), summed by kernel and shape, with the time spent outside kernels. Generated networks and
/// <see cref="Layers.Sequential"/> ones alike call the kernels, so any network can be profiled as it is, without a
/// rebuild. A kernel is timed from entry to return on the thread that runs the work, all the cores it uses included;
/// kernels that a kernel calls count towards the caller, and kernels that other threads call are not the work's and are
/// not counted (each thread may record its own). Outside <see cref="Record"/> the kernels check one flag and time nothing.
/// </summary>
public static class KernelProfiler
{
    // This thread's recording: totals by kernel and shape; null when nothing is recorded.
    [ThreadStatic]
    private static Dictionary<(string Kernel, string Shape), (int Calls, long Ticks)>? totals;

    /// <summary>Whether this thread is recording (its kernels then time themselves).</summary>
    public static bool IsRecording => totals is not null;

    /// <summary>
    /// Runs <paramref name="work"/> on this thread and returns the time each kernel it called took, and the wall clock of
    /// the whole. A recording cannot be started inside another on the same thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">This thread is already recording.</exception>
    public static KernelProfile Record(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (totals is not null)
        {
            throw new InvalidOperationException("This thread is already recording a kernel profile: KernelProfiler.Record cannot be nested.");
        }

        var recorded = new Dictionary<(string Kernel, string Shape), (int Calls, long Ticks)>();
        totals = recorded;
        long start = Stopwatch.GetTimestamp();
        try
        {
            work();
        }
        finally
        {
            totals = null;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        KernelProfileEntry[] entries = recorded
            .Select(pair => new KernelProfileEntry(pair.Key.Kernel, pair.Key.Shape, pair.Value.Calls, Stopwatch.GetElapsedTime(0, pair.Value.Ticks)))
            .OrderByDescending(entry => entry.Total)
            .ThenBy(entry => entry.Kernel, StringComparer.Ordinal)
            .ThenBy(entry => entry.Shape, StringComparer.Ordinal)
            .ToArray();
        return new KernelProfile(elapsed, entries);
    }

    /// <summary>Starts timing one call of an element-wise <paramref name="kernel"/> over <paramref name="values"/> values, when recording.</summary>
    internal static KernelTiming Time(string kernel, int values) => IsRecording ? new KernelTiming(kernel, $"{values} values") : default;

    /// <summary>
    /// Starts timing one call of <paramref name="kernel"/>, when recording, its shape <paramref name="shape"/> with
    /// <c>{0}</c>, <c>{1}</c> and <c>{2}</c> standing for up to three sizes (formatted only while recording).
    /// </summary>
    internal static KernelTiming Time(string kernel, string shape, int first, int second = 0, int third = 0) =>
        IsRecording ? new KernelTiming(kernel, string.Format(CultureInfo.InvariantCulture, shape, first, second, third)) : default;

    /// <summary>Starts timing one call of a pooling <paramref name="kernel"/> over <paramref name="planes"/> planes, when recording.</summary>
    internal static KernelTiming Time(string kernel, int planes, in PoolGeometry g) =>
        IsRecording
            ? new KernelTiming(
                kernel,
                $"{planes} planes {g.InputHeight}x{g.InputWidth} -> {g.OutputHeight}x{g.OutputWidth}, window {g.KernelHeight}x{g.KernelWidth}, stride {g.StrideHeight}x{g.StrideWidth}")
            : default;

    /// <summary>Starts timing one call of a convolution <paramref name="kernel"/>, when recording.</summary>
    internal static KernelTiming Time(string kernel, int batch, in Conv2dGeometry g) =>
        IsRecording
            ? new KernelTiming(
                kernel,
                $"{batch} x {g.InChannels}x{g.InputHeight}x{g.InputWidth} -> {g.OutChannels}x{g.OutputHeight}x{g.OutputWidth}, " +
                $"kernel {g.KernelHeight}x{g.KernelWidth}, stride {g.StrideHeight}x{g.StrideWidth}")
            : default;

    /// <summary>Adds one finished call to this thread's recording, if it is still under way.</summary>
    internal static void Add(string kernel, string shape, long ticks)
    {
        if (totals is { } recording)
        {
            recording[(kernel, shape)] = recording.TryGetValue((kernel, shape), out var total) ? (total.Calls + 1, total.Ticks + ticks) : (1, ticks);
        }
    }
}
