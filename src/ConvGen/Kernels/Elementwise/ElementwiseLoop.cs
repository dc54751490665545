using System.Runtime.CompilerServices;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// An element-wise computation over arrays it holds: <see cref="Apply{TLanes, TVector}"/> handles the
/// <c>TLanes.Count</c> elements from <c>index</c> on, reading and writing only those, so any split of the range is
/// the same computation. <see cref="ElementwiseLoop"/> runs it.
/// </summary>
internal interface IElementwiseKernel
{
    void Apply<TLanes, TVector>(int index)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged;
}

/// <summary>A function of one value, written once for every register width (<c>y = f(x)</c>).</summary>
internal interface IUnaryFunction
{
    TVector Invoke<TLanes, TVector>(TVector x)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged;
}

/// <summary>A function of two values, written once for every register width (<c>z = f(x, y)</c>).</summary>
internal interface IBinaryFunction
{
    TVector Invoke<TLanes, TVector>(TVector x, TVector y)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged;
}

/// <summary>
/// The one driver of the element-wise loops: the widest registers <see cref="WidestLanes.RunElementwise{TAction}"/> picks
/// over the whole registers of a range, then the same kernel on <see cref="ScalarLanes"/> for the tail. The lanes' operations give
/// the scalar bits at every width, so a value's result never depends on where it falls in a span, on the register
/// width or on whether SIMD is there at all; and long ranges can be split between the cores without changing one bit.
/// </summary>
// AggressiveOptimization throughout: tiered compilation ran these loops quick-jitted for seconds of a training run,
// ~10x slower, and a layer calls its kernel too few times per step for the entry points to tier up soon.
internal static unsafe class ElementwiseLoop
{
    /// <summary><c>output[i] = f(input[i])</c>; the spans may be the same (in place) and must have one length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TFunction>(TFunction function, ReadOnlySpan<float> input, Span<float> output, bool acrossCores = false)
        where TFunction : unmanaged, IUnaryFunction
    {
        CheckLength(input.Length, output.Length);
        fixed (float* x = input, y = output)
        {
            Run(new UnaryMap<TFunction>(function, x, y), input.Length, acrossCores);
        }
    }

    /// <summary><c>output[i] = f(first[i], second[i])</c>; <paramref name="output"/> may be either input, and all have one length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TFunction>(TFunction function, ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> output, bool acrossCores = false)
        where TFunction : unmanaged, IBinaryFunction
    {
        CheckLength(first.Length, second.Length);
        CheckLength(first.Length, output.Length);
        fixed (float* x = first, y = second, z = output)
        {
            Run(new BinaryMap<TFunction>(function, x, y, z), first.Length, acrossCores);
        }
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over <c>[0, length)</c>, on this thread or, with <paramref name="acrossCores"/> and a
    /// range long enough to be worth it, split between the cores (<see cref="ElementwiseParts{TKernel}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(TKernel kernel, int length, bool acrossCores = false)
        where TKernel : unmanaged, IElementwiseKernel
    {
        if (acrossCores)
        {
            ElementwiseParts<TKernel>.Run(kernel, length);
        }
        else
        {
            Run(kernel, 0, length);
        }
    }

    /// <summary>Runs <paramref name="kernel"/> over <c>[start, end)</c> on this thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TKernel>(TKernel kernel, int start, int end)
        where TKernel : unmanaged, IElementwiseKernel
    {
        var loop = new Loop<TKernel>(kernel, start, end);
        WidestLanes.RunElementwise(ref loop);
    }

    // Bugs in the caller: the unchecked loads and stores rely on equal lengths.
    private static void CheckLength(int expected, int actual)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"An element-wise pass over {expected} values needs as many in every span, not {actual}.");
        }
    }

    private readonly struct Loop<TKernel>(TKernel kernel, int start, int end) : ILanesAction
        where TKernel : unmanaged, IElementwiseKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TLanes, TVector>()
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged
        {
            TKernel local = kernel;
            int i = start, last = end;
            for (; i <= last - TLanes.Count; i += TLanes.Count)
            {
                local.Apply<TLanes, TVector>(i);
            }

            for (; i < last; i++)
            {
                local.Apply<ScalarLanes, float>(i);
            }
        }
    }

    private readonly struct UnaryMap<TFunction>(TFunction function, float* input, float* output) : IElementwiseKernel
        where TFunction : unmanaged, IUnaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TLanes, TVector>(int index)
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged =>
            TLanes.Store(output + index, function.Invoke<TLanes, TVector>(TLanes.Load(input + index)));
    }

    private readonly struct BinaryMap<TFunction>(TFunction function, float* first, float* second, float* output) : IElementwiseKernel
        where TFunction : unmanaged, IBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TLanes, TVector>(int index)
            where TLanes : struct, IVectorLanes<TVector>
            where TVector : unmanaged =>
            TLanes.Store(output + index, function.Invoke<TLanes, TVector>(TLanes.Load(first + index), TLanes.Load(second + index)));
    }
}
