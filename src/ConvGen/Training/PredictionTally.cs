namespace ConvGen.Training;

/// <summary>
/// What a run or an evaluation counts of its predictions, by the kind of target: for class labels, the rows whose
/// largest output is the label; for multi-label targets (binary cross-entropy on float targets), each (sample, label)
/// whose output is on the target's side of the decision threshold (a logit above 0, a probability above 0.5, a target
/// above 0.5), so the accuracy is the per-label accuracy averaged over labels; for regression (MSE on float targets), no
/// accuracy, and the absolute errors for the mean absolute error. Sums in a fixed order: bit-reproducible.
/// </summary>
internal struct PredictionTally
{
    private readonly bool regression;
    private readonly bool multiLabel;
    private readonly float threshold;
    private readonly int outputs;
    private readonly long[]? rightPerLabel;
    private long right;
    private long judged;
    private double absoluteError;
    private long values;

    /// <summary>
    /// A tally for <paramref name="outputs"/> outputs per sample, trained with <paramref name="loss"/> on class labels or on
    /// float targets, continuing from <paramref name="sums"/> (a resumed epoch's) when given; <paramref name="rightPerLabel"/>,
    /// if given, counts each label's right predictions apart (multi-label).
    /// </summary>
    public PredictionTally(TrainingLoss loss, bool floatTargets, int outputs, PredictionSums sums = default, long[]? rightPerLabel = null)
    {
        this.rightPerLabel = rightPerLabel;
        regression = floatTargets && loss == TrainingLoss.Mse;
        multiLabel = floatTargets && !regression;
        threshold = loss == TrainingLoss.Bce ? 0.5f : 0f;
        this.outputs = outputs;
        (right, judged, absoluteError, values) = (sums.Right, sums.Judged, sums.AbsoluteError, sums.Values);
    }

    /// <summary>Everything counted so far, to continue from after a resume.</summary>
    public readonly PredictionSums Sums => new(right, judged, absoluteError, values);

    /// <summary>Predictions judged right: samples for class labels, (sample, label) pairs for multi-label targets, none for regression.</summary>
    public readonly long Right => right;

    /// <summary>Predictions judged: one per sample for class labels, one per label and sample for multi-label targets, none for regression.</summary>
    public readonly long Judged => judged;

    /// <summary><see cref="Right"/> over <see cref="Judged"/>; NaN for regression, which has no right or wrong.</summary>
    public readonly float Accuracy => judged == 0 ? float.NaN : (float)right / judged;

    /// <summary>The mean of <c>|output - target|</c> over every value so far, for regression; null otherwise.</summary>
    public readonly float? MeanAbsoluteError => regression ? (float)(absoluteError / values) : null;

    /// <summary>Counts the first <paramref name="batch"/> rows of <paramref name="output"/> against their labels or float targets.</summary>
    public void Add(ReadOnlySpan<float> output, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, int batch)
    {
        int count = batch * outputs;
        if (regression)
        {
            for (int i = 0; i < count; i++)
            {
                absoluteError += Math.Abs((double)output[i] - targets[i]);
            }

            values += count;
        }
        else if (multiLabel)
        {
            for (int i = 0; i < count; i++)
            {
                int isRight = (output[i] > threshold) == (targets[i] > 0.5f) ? 1 : 0;
                right += isRight;
                if (rightPerLabel is not null)
                {
                    rightPerLabel[i % outputs] += isRight;
                }
            }

            judged += count;
        }
        else
        {
            for (int n = 0; n < batch; n++)
            {
                right += Inference.ArgMax(output.Slice(n * outputs, outputs)) == labels[n] ? 1 : 0;
            }

            judged += batch;
        }
    }
}

/// <summary>What a <see cref="PredictionTally"/> has counted: predictions right and judged, and the absolute errors summed over values.</summary>
internal readonly record struct PredictionSums(long Right, long Judged, double AbsoluteError, long Values);
