namespace ConvGen.Training;

/// <summary>
/// <c>LinearLR</c>: the base rate times a factor moving in a straight line from <paramref name="StartFactor"/> to
/// <paramref name="EndFactor"/> over <paramref name="Steps"/> steps, then held. With the defaults, PyTorch's warm-up.
/// </summary>
/// <param name="StartFactor">The factor at step 0, in (0, 1].</param>
/// <param name="EndFactor">The factor from step <paramref name="Steps"/> on, in [0, 1].</param>
/// <param name="Steps">PyTorch's <c>total_iters</c>.</param>
public sealed record LinearRamp(double StartFactor = 1.0 / 3, double EndFactor = 1.0, int Steps = 5) : LearningRateSchedule
{
    /// <summary>A warm-up from <paramref name="startFactor"/> times the base rate to the base rate over <paramref name="steps"/> steps.</summary>
    public static LinearRamp Warmup(int steps, double startFactor = 0.1) => new(startFactor, 1.0, steps);

    /// <inheritdoc/>
    public override double RateAt(int step, double baseRate) =>
        baseRate * (StartFactor + ((EndFactor - StartFactor) * Math.Min(step, Steps) / Steps));

    /// <inheritdoc/>
    public override string? Validate() =>
        !(StartFactor > 0 && StartFactor <= 1) ? $"LinearRamp: the start factor must be in (0, 1], got {StartFactor}."
        : !(EndFactor >= 0 && EndFactor <= 1) ? $"LinearRamp: the end factor must be in [0, 1], got {EndFactor}."
        : AtLeastOne("LinearRamp: the number of steps", Steps);
}
