using System.Runtime.Intrinsics.X86;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// Batch normalisation over <c>(N, C, H, W)</c>, as <c>torch.nn.BatchNorm2d</c> with <c>affine</c> and
/// <c>track_running_stats</c>: per channel <c>y = (x - mean) / sqrt(var + eps) * weight + bias</c>, with the batch's
/// statistics in training and the running ones in evaluation. Every pass walks one <c>H*W</c> plane at a time with the
/// fused, vectorised loops of <see cref="BatchNormPlanes"/>; sums add up in double, as PyTorch's CPU kernel accumulates
/// them. Training reads the input three times (mean, variance, output), the backward pass twice. Channels are split
/// over the <see cref="KernelThreads"/>; a channel is always computed whole by one thread in one order, so the split
/// cannot change a bit. Nothing is allocated.
/// </summary>
public static unsafe class BatchNormalization
{
    /// <summary>
    /// Training: normalises with the batch's mean and biased variance over <c>N*H*W</c> values per channel, and moves
    /// the running statistics in place toward the batch's, <c>r = (1 - momentum) * r + momentum * s</c>, where the
    /// variance's <c>s</c> is unbiased (divided by <c>N*H*W - 1</c>). <paramref name="savedMean"/> and
    /// <paramref name="savedInverseStd"/> (<c>1/sqrt(var + eps)</c>) receive what <see cref="Backward"/> needs.
    /// </summary>
    /// <exception cref="ArgumentException">A channel has a single value (<c>N*H*W = 1</c>): its variance is undefined, and PyTorch refuses it too.</exception>
    public static void ForwardTraining(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        Span<float> runningMean, Span<float> runningVariance, Span<float> savedMean, Span<float> savedInverseStd,
        int batch, int channels, int plane, double epsilon, double momentum, bool relu = false)
    {
        using var timing = KernelProfiler.Time("BatchNormalization.ForwardTraining", "{0} x {1} channels x {2} values", batch, channels, plane);
        long count = (long)batch * plane;
        if (count < 2)
        {
            throw new ArgumentException(
                $"BatchNorm2d in training needs more than one value per channel, but a batch of {batch} with {plane} value(s) per plane gives {count}.",
                nameof(batch));
        }

        CheckFits(input.Length, output.Length, Shortest(weight.Length, bias.Length, runningMean.Length, runningVariance.Length, savedMean.Length, savedInverseStd.Length), batch, channels, plane);
        fixed (float* x = input, y = output, w = weight, b = bias, rm = runningMean, rv = runningVariance, sm = savedMean, si = savedInverseStd)
        {
            var work = new ChannelWork(Pass.Training, new Tensors(x, null, y, null), new Statistics(w, b, rm, rv, sm, si, null, null), batch, channels, plane, epsilon, momentum, relu);
            WorkerPool.Run(ref work, work.Parts);
        }
    }

    /// <summary>
    /// Evaluation: normalises with the running statistics, changing nothing but <paramref name="output"/> and the saved
    /// statistics (here the running mean and its <c>1/sqrt(var + eps)</c>), which <see cref="Backward"/> reads.
    /// </summary>
    public static void ForwardEvaluation(
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, Span<float> savedMean, Span<float> savedInverseStd,
        int batch, int channels, int plane, double epsilon, bool relu = false)
    {
        using var timing = KernelProfiler.Time("BatchNormalization.ForwardEvaluation", "{0} x {1} channels x {2} values", batch, channels, plane);
        CheckFits(input.Length, output.Length, Shortest(weight.Length, bias.Length, runningMean.Length, runningVariance.Length, savedMean.Length, savedInverseStd.Length), batch, channels, plane);
        fixed (float* x = input, y = output, w = weight, b = bias, rm = runningMean, rv = runningVariance, sm = savedMean, si = savedInverseStd)
        {
            var work = new ChannelWork(Pass.Evaluation, new Tensors(x, null, y, null), new Statistics(w, b, rm, rv, sm, si, null, null), batch, channels, plane, epsilon, 0, relu);
            WorkerPool.Run(ref work, work.Parts);
        }
    }

    /// <summary>
    /// Gradients of the last forward pass, from its input and saved statistics; overwrites all three.
    /// <c>dWeight = sum(dY * xhat)</c>, <c>dBias = sum(dY)</c> with <c>xhat = (x - mean) * invstd</c>. After a
    /// <paramref name="training"/> pass the mean and variance depend on x too:
    /// <c>dX = weight * invstd * (dY - mean(dY) - xhat * mean(dY * xhat))</c>; after an evaluation pass they are
    /// constants and <c>dX = weight * invstd * dY</c>.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> savedMean, ReadOnlySpan<float> savedInverseStd,
        Span<float> inputGradient, Span<float> weightGradient, Span<float> biasGradient,
        int batch, int channels, int plane, bool training)
    {
        using var timing = KernelProfiler.Time("BatchNormalization.Backward", "{0} x {1} channels x {2} values", batch, channels, plane);
        CheckFits(
            input.Length, Math.Min(outputGradient.Length, inputGradient.Length), Shortest(weight.Length, savedMean.Length, savedInverseStd.Length, weightGradient.Length, biasGradient.Length),
            batch, channels, plane);
        fixed (float* x = input, dy = outputGradient, w = weight, sm = savedMean, si = savedInverseStd, dx = inputGradient, dw = weightGradient, db = biasGradient)
        {
            var work = new ChannelWork(
                training ? Pass.BackwardAfterTraining : Pass.BackwardAfterEvaluation, new Tensors(x, dy, null, dx), new Statistics(w, null, null, null, sm, si, dw, db),
                batch, channels, plane, 0, 0, relu: false);
            WorkerPool.Run(ref work, work.Parts);
        }
    }

    private static void TrainChannel(in ChannelWork work, int c)
    {
        Tensors t = work.Tensors;
        Statistics s = work.Statistics;
        long count = (long)work.Batch * work.PlaneSize;
        double sum = 0;
        work.PrefetchFirst(t.Input, null, c);
        for (int n = 0; n < work.Batch; n++)
        {
            work.PrefetchAhead(t.Input, null, n, c);
            sum += BatchNormPlanes.Sum(work.Plane(t.Input, n, c));
        }

        float mean = (float)(sum / count);
        // Two passes, deviations second: E[x^2] - E[x]^2 would cancel for inputs far from zero.
        double squares = 0;
        work.PrefetchFirst(t.Output, null, c);
        for (int n = 0; n < work.Batch; n++)
        {
            work.PrefetchAhead(t.Output, null, n, c);
            squares += BatchNormPlanes.SquaredDeviations(work.Plane(t.Input, n, c), mean);
        }

        double inverseStd = 1 / Math.Sqrt(squares / count + work.Epsilon);
        Normalise(work, c, mean, inverseStd);
        s.SavedMean[c] = mean;
        s.SavedInverseStd[c] = (float)inverseStd;
        s.RunningMean[c] = (float)((1 - work.Momentum) * s.RunningMean[c] + work.Momentum * (sum / count));
        s.RunningVariance[c] = (float)((1 - work.Momentum) * s.RunningVariance[c] + work.Momentum * (squares / (count - 1)));
    }

    private static void EvaluateChannel(in ChannelWork work, int c)
    {
        Statistics s = work.Statistics;
        double inverseStd = 1 / Math.Sqrt(s.RunningVariance[c] + work.Epsilon);
        Normalise(work, c, s.RunningMean[c], inverseStd);
        s.SavedMean[c] = s.RunningMean[c];
        s.SavedInverseStd[c] = (float)inverseStd;
    }

    private static void BackwardChannel(in ChannelWork work, int c, bool training)
    {
        Tensors t = work.Tensors;
        Statistics s = work.Statistics;
        long count = (long)work.Batch * work.PlaneSize;
        float mean = s.SavedMean[c];
        double gradientSum = 0, gradientDotDeviation = 0;
        work.PrefetchFirst(t.OutputGradient, t.Input, c);
        for (int n = 0; n < work.Batch; n++)
        {
            work.PrefetchAhead(t.OutputGradient, t.Input, n, c);
            (double sum, double dot) = BatchNormPlanes.GradientSums(work.Plane(t.OutputGradient, n, c), work.Plane(t.Input, n, c), mean);
            gradientSum += sum;
            gradientDotDeviation += dot;
        }

        double inverseStd = s.SavedInverseStd[c];
        s.WeightGradient[c] = (float)(gradientDotDeviation * inverseStd);
        s.BiasGradient[c] = (float)gradientSum;
        double gain = s.Weight[c] * inverseStd;
        // dX = gain * dY + deviationFactor * (x - mean) + offset; the last two vanish when the statistics were constants.
        float deviationFactor = training ? (float)(-gain * inverseStd * inverseStd * gradientDotDeviation / count) : 0f;
        float offset = training ? (float)(-gain * gradientSum / count) : 0f;
        for (int n = 0; n < work.Batch; n++)
        {
            BatchNormPlanes.InputGradient(
                work.Plane(t.OutputGradient, n, c), work.Plane(t.Input, n, c), mean, (float)gain, deviationFactor, offset, work.Plane(t.InputGradient, n, c));
        }
    }

    // y = (x - mean) * invstd * weight + bias as one multiply-add per value: x * scale + (bias - mean * scale), as PyTorch;
    // then max(y, 0) when the ReLU after the layer is applied here.
    private static void Normalise(in ChannelWork work, int c, float mean, double inverseStd)
    {
        Statistics s = work.Statistics;
        double scale = s.Weight[c] * inverseStd;
        for (int n = 0; n < work.Batch; n++)
        {
            BatchNormPlanes.ScaleAndShift(work.Plane(work.Tensors.Input, n, c), (float)scale, (float)(s.Bias[c] - mean * scale), work.Plane(work.Tensors.Output, n, c), work.Relu);
        }
    }

    // The passes run over raw pointers, so every span is checked against the shape first.
    private static void CheckFits(int inputRoom, int outputRoom, int channelRoom, int batch, int channels, int plane)
    {
        long values = (long)batch * channels * plane;
        if (batch < 0 || channels < 0 || plane < 0 || values > inputRoom || values > outputRoom || channels > channelRoom)
        {
            throw new ArgumentException($"A batch of {batch} x {channels} channels x {plane} values does not fit the buffers given.");
        }
    }

    private static int Shortest(params ReadOnlySpan<int> lengths)
    {
        int shortest = int.MaxValue;
        foreach (int length in lengths)
        {
            shortest = Math.Min(shortest, length);
        }

        return shortest;
    }

    private enum Pass
    {
        Training,
        Evaluation,
        BackwardAfterTraining,
        BackwardAfterEvaluation,
    }

    // The (N, C, H*W) tensors a pass reads and writes; those it does not use are null.
    private readonly struct Tensors(float* input, float* outputGradient, float* output, float* inputGradient)
    {
        public float* Input => input;
        public float* OutputGradient => outputGradient;
        public float* Output => output;
        public float* InputGradient => inputGradient;
    }

    // The per-channel vectors a pass reads and writes; those it does not use are null.
    private readonly struct Statistics(
        float* weight, float* bias, float* runningMean, float* runningVariance, float* savedMean, float* savedInverseStd, float* weightGradient, float* biasGradient)
    {
        public float* Weight => weight;
        public float* Bias => bias;
        public float* RunningMean => runningMean;
        public float* RunningVariance => runningVariance;
        public float* SavedMean => savedMean;
        public float* SavedInverseStd => savedInverseStd;
        public float* WeightGradient => weightGradient;
        public float* BiasGradient => biasGradient;
    }

    private readonly struct ChannelWork(Pass pass, Tensors tensors, Statistics statistics, int batch, int channels, int plane, double epsilon, double momentum, bool relu)
        : IPartitionedWork
    {
        // Below this many values per part one core finishes before a second would wake.
        private const long ValuesPerPart = 1 << 15;

        public Tensors Tensors => tensors;
        public Statistics Statistics => statistics;
        public int Batch => batch;
        public int PlaneSize => plane;
        public double Epsilon => epsilon;
        public double Momentum => momentum;
        public bool Relu => relu;
        public int Parts => (int)Math.Clamp((long)batch * channels * plane / ValuesPerPart, 1, Math.Min(Math.Max(channels, 1), WorkerPool.Concurrency));

        public void Execute(int part)
        {
            int parts = Parts;
            int first = (int)((long)channels * part / parts), end = (int)((long)channels * (part + 1) / parts);
            for (int c = first; c < end; c++)
            {
                switch (pass)
                {
                    case Pass.Training: TrainChannel(this, c); break;
                    case Pass.Evaluation: EvaluateChannel(this, c); break;
                    default: BackwardChannel(this, c, pass == Pass.BackwardAfterTraining); break;
                }
            }
        }

        public Span<float> Plane(float* tensor, int n, int c) => new(tensor + ((long)n * channels + c) * plane, plane);

        // A channel's planes lie a whole sample apart, runs too short for the hardware prefetcher to follow (a 7x7
        // plane is four cache lines), so the first pass over a channel, which reads it from far memory, asks for
        // about PrefetchBytes ahead itself: all of it at the channel's start, then one plane per plane read. In
        // training the second pass does the same for the output planes the third will write.
        private const int PrefetchBytes = 4096, CacheLine = 64;

        private int PlanesAhead => Math.Clamp(PrefetchBytes / Math.Max(plane * sizeof(float), 1), 1, 16);

        public void PrefetchFirst(float* tensor, float* other, int c)
        {
            for (int n = 0; n < Math.Min(PlanesAhead, batch); n++)
            {
                PrefetchPlane(tensor, other, n, c);
            }
        }

        public void PrefetchAhead(float* tensor, float* other, int n, int c)
        {
            if (n + PlanesAhead < batch)
            {
                PrefetchPlane(tensor, other, n + PlanesAhead, c);
            }
        }

        // A hint only: prefetching reads nothing into the results and cannot fault.
        private void PrefetchPlane(float* tensor, float* other, int n, int c)
        {
            if (!Sse.IsSupported)
            {
                return;
            }

            long offset = ((long)n * channels + c) * plane * sizeof(float), end = offset + (long)plane * sizeof(float);
            for (; offset < end + CacheLine - 1; offset += CacheLine)
            {
                Sse.Prefetch0((byte*)tensor + offset);
                if (other != null)
                {
                    Sse.Prefetch0((byte*)other + offset);
                }
            }
        }
    }
}
