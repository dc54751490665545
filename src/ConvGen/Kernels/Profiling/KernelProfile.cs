using System.Globalization;
using System.Text;

namespace ConvGen.Kernels;

/// <summary>
/// What <see cref="KernelProfiler.Record"/> measured: the wall clock of the work, and each kernel's calls by shape,
/// longest first. <see cref="Format"/> lays it out as a table.
/// </summary>
/// <param name="Elapsed">The wall clock of the whole work.</param>
/// <param name="Entries">One row per kernel and shape, by total time, longest first.</param>
public sealed record KernelProfile(TimeSpan Elapsed, IReadOnlyList<KernelProfileEntry> Entries)
{
    /// <summary>The time spent inside kernels: the sum of <see cref="Entries"/>.</summary>
    public TimeSpan InKernels => TimeSpan.FromTicks(Entries.Sum(entry => entry.Total.Ticks));

    /// <summary>The rest of <see cref="Elapsed"/>: the network's own code between kernels, the caller's, and waiting.</summary>
    public TimeSpan OutsideKernels => Elapsed - InKernels;

    /// <summary>
    /// A table, one row per entry: kernel, shape, calls, milliseconds and share of the wall clock, then the time outside
    /// kernels and the wall clock. <paramref name="repetitions"/> divides the calls and times, e.g. by the training steps
    /// the work ran, so that the table reads per step.
    /// </summary>
    public string Format(int repetitions = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var culture = CultureInfo.InvariantCulture;
        int kernelWidth = Math.Max("kernel".Length, Entries.Select(entry => entry.Kernel.Length).DefaultIfEmpty(0).Max());
        int shapeWidth = Math.Max("shape".Length, Entries.Select(entry => entry.Shape.Length).DefaultIfEmpty(0).Max());
        var table = new StringBuilder();
        string Row(string kernel, string shape, string calls, string milliseconds, string share) =>
            $"{kernel.PadRight(kernelWidth)}  {shape.PadRight(shapeWidth)}  {calls,8}  {milliseconds,10}  {share,6}";
        string Share(TimeSpan time) => Elapsed > TimeSpan.Zero ? (100 * time / Elapsed).ToString("F1", culture) + "%" : "-";
        string PerRepetition(TimeSpan time) => (time.TotalMilliseconds / repetitions).ToString("F3", culture);

        table.AppendLine(Row("kernel", "shape", "calls", "ms", "share"));
        foreach (KernelProfileEntry entry in Entries)
        {
            table.AppendLine(Row(entry.Kernel, entry.Shape, ((double)entry.Calls / repetitions).ToString("0.##", culture), PerRepetition(entry.Total), Share(entry.Total)));
        }

        table.AppendLine(Row("(outside kernels)", string.Empty, string.Empty, PerRepetition(OutsideKernels), Share(OutsideKernels)));
        table.Append(Row("(wall clock)", string.Empty, string.Empty, PerRepetition(Elapsed), Share(Elapsed)));
        return table.ToString();
    }
}
