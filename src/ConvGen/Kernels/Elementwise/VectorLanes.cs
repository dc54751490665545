using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>
/// The SIMD operations the GEMM micro-kernel and the element-wise functions (<see cref="ElementwiseLoop"/>) need, as one
/// tiny struct per register width so that a single generic kernel serves 512-bit, 256-bit and scalar hardware (the JIT
/// specialises each struct instantiation). Every operation is exact per lane or rounds once as IEEE 754 says, so a
/// function written over these gives the same bits at every width: the scalar lanes are the reference.
/// </summary>
internal unsafe interface IVectorLanes<TVector>
    where TVector : unmanaged
{
    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(float* destination, TVector value);

    static abstract TVector Broadcast(float value);

    /// <summary><c>left * right + addend</c> with one rounding.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    static abstract TVector Divide(TVector left, TVector right);

    static abstract TVector Negate(TVector value);

    static abstract TVector SquareRoot(TVector value);

    /// <summary>The smaller value, as <see cref="MathF.Min"/> (NaN wins, -0 below +0).</summary>
    static abstract TVector Min(TVector left, TVector right);

    /// <summary>The larger value, as <see cref="MathF.Max"/> (NaN wins, +0 above -0).</summary>
    static abstract TVector Max(TVector left, TVector right);

    /// <summary>A mask: all bits set where <c>left &gt; right</c> (false for NaN), else none.</summary>
    static abstract TVector GreaterThan(TVector left, TVector right);

    /// <summary>A mask: all bits set where <c>left == right</c> (false for NaN), else none.</summary>
    static abstract TVector EqualTo(TVector left, TVector right);

    /// <summary><paramref name="whenSet"/> where <paramref name="mask"/> (from a comparison) is set, else <paramref name="otherwise"/>.</summary>
    static abstract TVector Select(TVector mask, TVector whenSet, TVector otherwise);

    /// <summary>The bits of each lane read as a 32-bit integer, added as integers: exponent arithmetic.</summary>
    static abstract TVector AddBits(TVector left, TVector right);

    /// <summary>The bits of each lane read as a 32-bit integer, subtracted as integers.</summary>
    static abstract TVector SubtractBits(TVector left, TVector right);

    /// <summary>The bits of each lane read as a 32-bit integer, shifted left.</summary>
    static abstract TVector ShiftBitsLeft(TVector value, int count);
}

internal readonly unsafe struct Lanes512 : IVectorLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector512<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) =>
        Vector512.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> left, Vector512<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Negate(Vector512<float> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SquareRoot(Vector512<float> value) => Vector512.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> left, Vector512<float> right) => Vector512.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> left, Vector512<float> right) => Vector512.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GreaterThan(Vector512<float> left, Vector512<float> right) => Vector512.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> EqualTo(Vector512<float> left, Vector512<float> right) => Vector512.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenSet, Vector512<float> otherwise) => Vector512.ConditionalSelect(mask, whenSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> AddBits(Vector512<float> left, Vector512<float> right) => (left.AsInt32() + right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SubtractBits(Vector512<float> left, Vector512<float> right) => (left.AsInt32() - right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ShiftBitsLeft(Vector512<float> value, int count) => Vector512.ShiftLeft(value.AsInt32(), count).AsSingle();
}

internal readonly unsafe struct Lanes256 : IVectorLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector256<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) =>
        Vector256.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> left, Vector256<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Negate(Vector256<float> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SquareRoot(Vector256<float> value) => Vector256.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> left, Vector256<float> right) => Vector256.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> left, Vector256<float> right) => Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GreaterThan(Vector256<float> left, Vector256<float> right) => Vector256.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> EqualTo(Vector256<float> left, Vector256<float> right) => Vector256.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenSet, Vector256<float> otherwise) => Vector256.ConditionalSelect(mask, whenSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> AddBits(Vector256<float> left, Vector256<float> right) => (left.AsInt32() + right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SubtractBits(Vector256<float> left, Vector256<float> right) => (left.AsInt32() - right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ShiftBitsLeft(Vector256<float> value, int count) => Vector256.ShiftLeft(value.AsInt32(), count).AsSingle();
}

internal readonly unsafe struct Lanes128 : IVectorLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, Vector128<float> value) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> left, Vector128<float> right, Vector128<float> addend) =>
        Vector128.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> left, Vector128<float> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Negate(Vector128<float> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SquareRoot(Vector128<float> value) => Vector128.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> left, Vector128<float> right) => Vector128.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> left, Vector128<float> right) => Vector128.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GreaterThan(Vector128<float> left, Vector128<float> right) => Vector128.GreaterThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> EqualTo(Vector128<float> left, Vector128<float> right) => Vector128.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenSet, Vector128<float> otherwise) => Vector128.ConditionalSelect(mask, whenSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> AddBits(Vector128<float> left, Vector128<float> right) => (left.AsInt32() + right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SubtractBits(Vector128<float> left, Vector128<float> right) => (left.AsInt32() - right.AsInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ShiftBitsLeft(Vector128<float> value, int count) => Vector128.ShiftLeft(value.AsInt32(), count).AsSingle();
}

/// <summary>One float per "register": the path for hardware without SIMD acceleration.</summary>
internal readonly unsafe struct ScalarLanes : IVectorLanes<float>
{
    // The mask of a true comparison, as the vector comparisons give it: every bit set.
    private static readonly float AllBitsSet = BitConverter.Int32BitsToSingle(-1);

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* destination, float value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float left, float right, float addend) => MathF.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float left, float right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float left, float right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Divide(float left, float right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Negate(float value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquareRoot(float value) => MathF.Sqrt(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Min(float left, float right) => MathF.Min(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float left, float right) => MathF.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float GreaterThan(float left, float right) => left > right ? AllBitsSet : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float EqualTo(float left, float right) => left == right ? AllBitsSet : 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Select(float mask, float whenSet, float otherwise) => BitConverter.SingleToInt32Bits(mask) != 0 ? whenSet : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float AddBits(float left, float right) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(left) + BitConverter.SingleToInt32Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SubtractBits(float left, float right) =>
        BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(left) - BitConverter.SingleToInt32Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ShiftBitsLeft(float value, int count) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) << count);
}
