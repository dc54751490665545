using System.Runtime.Intrinsics;

namespace ConvGen.Kernels;

/// <summary>A computation written once for any register width, run by <see cref="WidestLanes"/>.</summary>
internal interface ILanesAction
{
    void Run<TLanes, TVector>()
        where TLanes : struct, IVectorLanes<TVector>
        where TVector : unmanaged;
}

/// <summary>
/// The one place that picks a register width: 512 bits where the hardware accelerates them, else 256, else one float
/// (which is also the path with hardware intrinsics disabled). Every kernel written over <see cref="IVectorLanes{TVector}"/>
/// goes through here, so all of them agree on the width and so on the tile sizes that follow from it. The one exception,
/// <see cref="ShortRows"/>, copies rows shorter than a register and so picks the widest register each row fills; a copy has
/// no tiles and its values do not depend on the width.
/// </summary>
internal static class WidestLanes
{
    /// <summary>Floats per register on this machine.</summary>
    public static int Count { get; } =
        Vector512.IsHardwareAccelerated ? Lanes512.Count : Vector256.IsHardwareAccelerated ? Lanes256.Count : ScalarLanes.Count;

    /// <summary>Runs <paramref name="action"/> with the widest accelerated registers.</summary>
    public static void Run<TAction>(ref TAction action)
        where TAction : struct, ILanesAction
    {
        if (Vector512.IsHardwareAccelerated)
        {
            action.Run<Lanes512, Vector512<float>>();
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            action.Run<Lanes256, Vector256<float>>();
        }
        else
        {
            action.Run<ScalarLanes, float>();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> as <see cref="Run{TAction}"/> does, but also with 128-bit registers where those are the
    /// widest accelerated (SSE without AVX2, Arm's NEON): element-wise work has no tiles that depend on the width, and its
    /// results none either, so it takes any width there is.
    /// </summary>
    public static void RunElementwise<TAction>(ref TAction action)
        where TAction : struct, ILanesAction
    {
        if (!Vector256.IsHardwareAccelerated && Vector128.IsHardwareAccelerated)
        {
            action.Run<Lanes128, Vector128<float>>();
        }
        else
        {
            Run(ref action);
        }
    }
}
