using ConvGen.Training;

namespace ConvGen.Tests.Training;

/// <summary>The settings a resumed run must keep are written as invariant, round-trip text, whatever the culture.</summary>
public sealed class RunSettingsTests
{
    [Fact]
    public void OptimizersAndSchedulesAreTheirTypeAndPropertiesInRoundTripText()
    {
        Assert.Equal("Sgd(LearningRate=0.1, Momentum=0.9, Nesterov=false, WeightDecay=1E-05)", RunSettings.Describe(new Sgd(0.1f, Momentum: 0.9f, WeightDecay: 1e-5f)));
        Assert.Equal(
            "SequentialSchedule(Interval=Batch, Milestones=[3], Parts=[LinearRamp(EndFactor=1, Interval=Epoch, StartFactor=0.1, Steps=3), " +
            "CosineAnnealing(Interval=Epoch, MinimumRate=0, Period=10)])",
            RunSettings.Describe(SequentialSchedule.WarmupThen(LinearRamp.Warmup(3, startFactor: 0.1), new CosineAnnealing(10)) with { Interval = ScheduleInterval.Batch }));
    }

    [Fact]
    public void AUsersScheduleHoldingADelegateIsDescribedWithoutWalkingIntoIt()
    {
        string described = RunSettings.Describe(new CurveSchedule(step => 1.0 / (step + 1)));

        Assert.StartsWith("CurveSchedule(Curve=System.Func`2[System.Int32,System.Double], Interval=Epoch)", described);
    }

    private sealed record CurveSchedule(Func<int, double> Curve) : LearningRateSchedule
    {
        public override double RateAt(int step, double baseRate) => baseRate * Curve(step);

        public override string? Validate() => null;
    }
}
