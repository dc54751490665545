namespace ConvGen.Tests.Terminal;

/// <summary>A clock that moves only when a test moves it, so the live display's pacing and time left are exact.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;

    public void Advance(TimeSpan by) => ticks += by.Ticks;
}
