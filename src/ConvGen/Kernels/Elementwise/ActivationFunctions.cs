using System.Runtime.CompilerServices;

namespace ConvGen.Kernels;

// The activations' element-wise rules for ElementwiseLoop, one tiny struct each. Every one does per lane exactly what
// its scalar rule did, so the width does not change a bit.

/// <summary><c>y = max(x, 0)</c> as <see cref="MathF.Max"/> takes it: NaN stays NaN, -0 becomes +0.</summary>
internal readonly struct Relu : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector input)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged => TLanes.Max(input, TLanes.Broadcast(0f));
}

/// <summary><c>z = x + y</c>.</summary>
internal readonly struct Sum : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector first, TVector second)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged => TLanes.Add(first, second);
}

/// <summary><c>z = max(x + y, 0)</c>: a residual addition and the ReLU after it.</summary>
internal readonly struct SumRelu : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector first, TVector second)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged => default(Relu).Invoke<TLanes, TVector>(TLanes.Add(first, second));
}

/// <summary><c>dX = dY where y &gt; 0, else 0</c>, from the forward output y (x: y, y: dY).</summary>
internal readonly struct ReluGradient : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector output, TVector gradient)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged
    {
        TVector zero = TLanes.Broadcast(0f);
        // NaN compares false, so its gradient is zeroed.
        return TLanes.Select(TLanes.GreaterThan(output, zero), gradient, zero);
    }
}

/// <summary><c>y = x where x &gt; 0, else negativeSlope * x</c>.</summary>
internal readonly struct LeakyRelu(float negativeSlope) : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector input)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Select(TLanes.GreaterThan(input, TLanes.Broadcast(0f)), input, TLanes.Multiply(TLanes.Broadcast(negativeSlope), input));
}

/// <summary><c>dX = dY where x &gt; 0, else negativeSlope * dY</c>, from the forward input x (x: x, y: dY).</summary>
internal readonly struct LeakyReluGradient(float negativeSlope) : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector input, TVector gradient)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Select(TLanes.GreaterThan(input, TLanes.Broadcast(0f)), gradient, TLanes.Multiply(gradient, TLanes.Broadcast(negativeSlope)));
}

/// <summary><c>dX = dY * (y * (1 - y))</c>, from the forward output y (x: y, y: dY).</summary>
internal readonly struct SigmoidGradient : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector output, TVector gradient)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Multiply(gradient, TLanes.Multiply(output, TLanes.Subtract(TLanes.Broadcast(1f), output)));
}

/// <summary><c>dX = dY * (1 - y^2)</c>, from the forward output y (x: y, y: dY).</summary>
internal readonly struct TanhGradient : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TLanes, TVector>(TVector output, TVector gradient)
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged =>
        TLanes.Multiply(gradient, TLanes.Subtract(TLanes.Broadcast(1f), TLanes.Multiply(output, output)));
}
