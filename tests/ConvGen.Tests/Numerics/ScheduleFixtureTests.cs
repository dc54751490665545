using System.Collections.Immutable;
using System.Text.Json;
using ConvGen.Training;

namespace ConvGen.Tests.Numerics;

/// <summary>
/// Every schedule's rate at every step against <c>torch.optim.lr_scheduler</c> (<c>Fixtures/lr_schedules.json</c>, written by
/// <c>tools/fixtures/make_schedule_fixtures.py</c>), within 1e-7 relative.
/// </summary>
public sealed class ScheduleFixtureTests
{
    private const double RelativeTolerance = 1e-7;

    private static readonly Lazy<ImmutableDictionary<string, JsonElement>> Cases = new(Load);

    /// <summary>The case names, one theory row each.</summary>
    public static TheoryData<string> CaseNames() => new(Cases.Value.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EveryStepsRateMatchesPyTorch(string name)
    {
        JsonElement fixture = Cases.Value[name];
        LearningRateSchedule schedule = ScheduleOf(fixture.GetProperty("schedule"));
        double baseRate = fixture.GetProperty("base").GetDouble();
        double[] expected = fixture.GetProperty("rates").EnumerateArray().Select(rate => rate.GetDouble()).ToArray();

        Assert.Null(schedule.Validate());
        Assert.Null(schedule.CheckLength(expected.Length - 1));
        for (int step = 0; step < expected.Length; step++)
        {
            double actual = schedule.RateAt(step, baseRate);
            Assert.True(
                Math.Abs(actual - expected[step]) <= RelativeTolerance * Math.Abs(expected[step]),
                $"{name}: step {step} gives {actual:R}, PyTorch {expected[step]:R}.");
        }
    }

    [Fact]
    public void TheFixturesCoverEverySchedule()
    {
        string[] kinds = Cases.Value.Values.Select(fixture => fixture.GetProperty("schedule").GetProperty("type").GetString()!).Distinct().Order().ToArray();
        Assert.Equal(["CosineAnnealingLR", "ExponentialLR", "LinearLR", "MultiStepLR", "OneCycleLR", "SequentialLR", "StepLR"], kinds);
    }

    /// <summary>The ConvGen schedule for a PyTorch scheduler's constructor arguments, PyTorch's defaults where absent.</summary>
    internal static LearningRateSchedule ScheduleOf(JsonElement spec)
    {
        double Number(string key, double fallback) => spec.TryGetProperty(key, out JsonElement value) ? value.GetDouble() : fallback;
        int Integer(string key) => spec.GetProperty(key).GetInt32();
        ImmutableArray<int> Integers(string key) => [.. spec.GetProperty(key).EnumerateArray().Select(value => value.GetInt32())];
        return spec.GetProperty("type").GetString() switch
        {
            "StepLR" => new StepDecay(Integer("step_size"), Number("gamma", 0.1)),
            "MultiStepLR" => new MultiStepDecay(Integers("milestones"), Number("gamma", 0.1)),
            "ExponentialLR" => new ExponentialDecay(Number("gamma", double.NaN)),
            "CosineAnnealingLR" => new CosineAnnealing(Integer("T_max"), Number("eta_min", 0)),
            "LinearLR" => new LinearRamp(Number("start_factor", 1.0 / 3), Number("end_factor", 1.0), spec.TryGetProperty("total_iters", out _) ? Integer("total_iters") : 5),
            "OneCycleLR" => new OneCycle(
                Number("max_lr", double.NaN),
                spec.TryGetProperty("total_steps", out _) ? Integer("total_steps") : Integer("epochs") * Integer("steps_per_epoch"),
                Number("pct_start", 0.3),
                spec.TryGetProperty("anneal_strategy", out JsonElement strategy) && strategy.GetString() == "linear" ? Annealing.Linear : Annealing.Cosine,
                Number("div_factor", 25),
                Number("final_div_factor", 1e4),
                spec.TryGetProperty("three_phase", out JsonElement three) && three.GetBoolean()),
            "SequentialLR" => new SequentialSchedule([.. spec.GetProperty("schedulers").EnumerateArray().Select(ScheduleOf)], Integers("milestones")),
            string other => throw new InvalidOperationException($"No ConvGen schedule for {other}."),
            null => throw new InvalidOperationException("A schedule without a type."),
        };
    }

    /// <summary>The named fixture case's rates.</summary>
    internal static (double Base, double[] Rates) Rates(string name)
    {
        JsonElement fixture = Cases.Value[name];
        return (fixture.GetProperty("base").GetDouble(), fixture.GetProperty("rates").EnumerateArray().Select(rate => rate.GetDouble()).ToArray());
    }

    private static ImmutableDictionary<string, JsonElement> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "lr_schedules.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("cases").EnumerateArray()
            .ToImmutableDictionary(entry => entry.GetProperty("name").GetString()!, entry => entry.Clone(), StringComparer.Ordinal);
    }
}
