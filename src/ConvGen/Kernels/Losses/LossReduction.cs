namespace ConvGen.Kernels;

/// <summary>
/// The one place a <see cref="Reduction"/> is applied, so no loss repeats it: a loss hands over each term's value and
/// asks how much that term's gradient weighs in the result (<c>1/terms</c> for the mean, 1 for the sum, the upstream
/// gradient of the term for none). Checks the caller's spans against the reduction first.
/// </summary>
internal ref struct LossReduction
{
    private readonly Reduction reduction;
    private readonly int terms;
    private readonly float meanWeight;
    private readonly Span<float> losses;
    private readonly ReadOnlySpan<float> outputGradient;
    private double total;

    /// <param name="loss">The loss's name, for messages.</param>
    /// <param name="reduction">How the terms combine.</param>
    /// <param name="terms">How many terms there are.</param>
    /// <param name="losses">For <see cref="Reduction.None"/>, where each term's loss goes; ignored otherwise.</param>
    /// <param name="outputGradient">For <see cref="Reduction.None"/> with a gradient, each term's upstream gradient; empty otherwise.</param>
    /// <param name="withGradient">Whether the caller computes the gradient too.</param>
    public LossReduction(string loss, Reduction reduction, int terms, Span<float> losses, ReadOnlySpan<float> outputGradient, bool withGradient)
    {
        string? problem = reduction switch
        {
            Reduction.Mean or Reduction.Sum when !outputGradient.IsEmpty =>
                $"{loss}: an upstream gradient per term goes only with Reduction.None; {reduction} gives one number, whose gradient is 1.",
            Reduction.Mean or Reduction.Sum => null,
            Reduction.None when losses.Length < terms => $"{loss}: Reduction.None writes {terms} losses but the span for them holds {losses.Length}.",
            Reduction.None when withGradient && outputGradient.Length < terms =>
                $"{loss}: Reduction.None needs the upstream gradient of each of the {terms} losses but {outputGradient.Length} were given.",
            Reduction.None => null,
            _ => $"{loss}: reduction {(int)reduction} is not Mean, Sum or None.",
        };
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(reduction));
        }

        this.reduction = reduction;
        this.terms = terms;
        meanWeight = 1f / terms;
        this.losses = losses;
        this.outputGradient = outputGradient;
    }

    /// <summary>The factor on the gradient of term <paramref name="term"/>'s loss.</summary>
    public readonly float GradientWeight(int term) => reduction switch
    {
        Reduction.Mean => meanWeight,
        Reduction.Sum => 1f,
        _ => outputGradient[term],
    };

    /// <summary>Counts term <paramref name="term"/>'s loss.</summary>
    public void Add(int term, double loss)
    {
        total += loss;
        if (reduction == Reduction.None)
        {
            losses[term] = (float)loss;
        }
    }

    /// <summary>The mean or the sum; for <see cref="Reduction.None"/>, the sum of the losses written.</summary>
    public readonly float Result => reduction == Reduction.Mean ? (float)(total / terms) : (float)total;
}
