using System.Globalization;

namespace ConvGen.Terminal;

/// <summary>How both displays write their figures, so the live table and the plain lines read the same.</summary>
internal static class TrainingFigures
{
    public static string Loss(float loss) => loss.ToString("F4", CultureInfo.InvariantCulture);

    public static string Accuracy(float accuracy) => (accuracy * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    public static string LearningRate(float rate) => rate.ToString("G4", CultureInfo.InvariantCulture);

    public static string ImagesPerSecond(double rate) => rate.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(double seconds) => seconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

    /// <summary>Time left as a person reads it: <c>45s</c>, <c>3m 05s</c>, <c>1h 02m</c>.</summary>
    public static string TimeLeft(TimeSpan left)
    {
        long seconds = (long)Math.Ceiling(Math.Max(0, left.TotalSeconds));
        return seconds switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m {seconds % 60:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h {seconds / 60 % 60:00}m"),
        };
    }
}
