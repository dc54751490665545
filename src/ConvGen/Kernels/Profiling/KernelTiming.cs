using System.Diagnostics;

namespace ConvGen.Kernels;

/// <summary>
/// One kernel call being timed for <see cref="KernelProfiler"/>, from its creation to <see cref="Dispose"/>: a
/// <c>using</c> at the top of a kernel. The default value times nothing. A call made inside another timed call on the
/// same thread is not recorded on its own: its time is its caller's.
/// </summary>
internal readonly struct KernelTiming : IDisposable
{
    [ThreadStatic]
    private static int depth;

    private readonly string? kernel;
    private readonly string shape;
    private readonly long start;
    private readonly bool outermost;

    public KernelTiming(string kernel, string shape)
    {
        (this.kernel, this.shape) = (kernel, shape);
        outermost = ++depth == 1;
        start = Stopwatch.GetTimestamp();
    }

    public void Dispose()
    {
        if (kernel is null)
        {
            return;
        }

        long ticks = Stopwatch.GetTimestamp() - start;
        depth--;
        if (outermost)
        {
            KernelProfiler.Add(kernel, shape, ticks);
        }
    }
}
