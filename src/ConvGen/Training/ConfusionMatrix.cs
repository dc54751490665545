using System.Globalization;
using System.Text;

namespace ConvGen.Training;

/// <summary>
/// Counts of (true class, predicted class) pairs over a data set: rows are the truth, columns the prediction.
/// An immutable value; per-class accuracy (recall) is each row's diagonal over its total.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] counts;

    internal ConfusionMatrix(int classes, int[] counts)
    {
        Classes = classes;
        this.counts = counts;
    }

    /// <summary>Number of classes, rows and columns.</summary>
    public int Classes { get; }

    /// <summary>Samples of class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int truth, int predicted] => counts[truth * Classes + predicted];

    /// <summary>Correct predictions over samples of each class; NaN for a class with no samples.</summary>
    public IReadOnlyList<float> PerClassAccuracy =>
        Enumerable.Range(0, Classes).Select(truth =>
        {
            int total = Enumerable.Range(0, Classes).Sum(predicted => this[truth, predicted]);
            return total == 0 ? float.NaN : (float)this[truth, truth] / total;
        }).ToArray();

    /// <summary>A fixed-width table, truth down the side, predictions across.</summary>
    public override string ToString()
    {
        int width = Math.Max(4, counts.DefaultIfEmpty().Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        var text = new StringBuilder("truth\\pred".PadRight(11));
        for (int predicted = 0; predicted < Classes; predicted++)
        {
            text.Append(predicted.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }

        for (int truth = 0; truth < Classes; truth++)
        {
            text.Append('\n').Append(truth.ToString(CultureInfo.InvariantCulture).PadRight(11));
            for (int predicted = 0; predicted < Classes; predicted++)
            {
                text.Append(this[truth, predicted].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
        }

        return text.ToString();
    }
}
