using System.Runtime.ExceptionServices;
using ConvGen.Data;

namespace ConvGen.Training;

/// <summary>
/// Double buffering for a training run: while a step computes on one batch, a background thread gathers the next into
/// a second buffer; taking a batch swaps the two, so nothing is copied twice and nothing is allocated per step. The
/// samples and their order are exactly those of gathering in line, which is what <c>background: false</c> does.
/// An augmentation pipeline, if the run has one, transforms each batch as part of gathering it, off the training thread.
/// Disposing stops the thread, whether the run finished, stopped early or failed.
/// </summary>
internal sealed class BatchPrefetcher : IDisposable
{
    private static int liveThreads;

    private readonly Dataset data;
    private readonly BatchAugmenter? augmenter;
    private readonly Thread? thread;
    private readonly SemaphoreSlim requested = new(0);
    private readonly SemaphoreSlim gathered = new(0);
    private float[] images;
    private int[] labels;
    private float[] targets;
    private int[] order = [];
    private int start;
    private int count;
    private int epoch;
    private bool pending;
    private volatile bool stopping;
    private ExceptionDispatchInfo? failure;

    /// <summary>Buffers for batches of up to <paramref name="batchCapacity"/> samples of <paramref name="data"/>.</summary>
    /// <param name="data">The data set the batches come from.</param>
    /// <param name="batchCapacity">The most samples in one batch.</param>
    /// <param name="background">Gather on a background thread; otherwise in line, when the batch is taken.</param>
    /// <param name="augmenter">Transforms each gathered batch; none when null.</param>
    public BatchPrefetcher(Dataset data, int batchCapacity, bool background, BatchAugmenter? augmenter = null)
    {
        this.data = data;
        this.augmenter = augmenter;
        images = new float[batchCapacity * data.SampleSize];
        labels = new int[batchCapacity];
        targets = new float[batchCapacity * data.TargetSize];
        if (background)
        {
            Interlocked.Increment(ref liveThreads);
            thread = new Thread(GatherLoop) { IsBackground = true, Name = "ConvGen batch prefetch" };
            thread.Start();
        }
    }

    /// <summary>Prefetch threads running in the process now; a test's proof that runs shut theirs down.</summary>
    internal static int LiveThreads => Volatile.Read(ref liveThreads);

    /// <summary>Bytes the background thread had allocated after its last batch; a test's proof that gathering allocates nothing.</summary>
    internal long BackgroundAllocatedBytes { get; private set; }

    /// <summary>
    /// Starts gathering <paramref name="samples"/> samples, those at <c>order[first..]</c>, as the next batch; augmented, if
    /// the run is, as in epoch <paramref name="epochNumber"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The previous batch was requested and not yet taken.</exception>
    public void Request(int[] order, int first, int samples, int epochNumber = 1)
    {
        ObjectDisposedException.ThrowIf(stopping, this);
        if (pending)
        {
            throw new InvalidOperationException("A batch was requested and not yet taken.");
        }

        this.order = order;
        start = first;
        count = samples;
        epoch = epochNumber;
        pending = true;
        if (thread is not null)
        {
            requested.Release();
        }
    }

    /// <summary>
    /// Waits for the requested batch and swaps it in: <paramref name="workspace"/>'s input buffer and <paramref name="batchLabels"/>
    /// become the batch (and <paramref name="batchTargets"/> its float targets, if the data has them), and their old
    /// arrays become this prefetcher's, to gather the next batch into.
    /// </summary>
    /// <exception cref="InvalidOperationException">No batch was requested.</exception>
    public void Take(NetworkWorkspace workspace, ref int[] batchLabels, ref float[] batchTargets)
    {
        if (!pending)
        {
            throw new InvalidOperationException("No batch was requested.");
        }

        if (thread is null)
        {
            Gather();
        }
        else
        {
            gathered.Wait();
            failure?.Throw();
        }

        pending = false;
        workspace.ExchangeInput(ref images);
        (labels, batchLabels) = (batchLabels, labels);
        (targets, batchTargets) = (batchTargets, targets);
    }

    /// <summary>Stops the background thread, after the batch it is gathering if any.</summary>
    public void Dispose()
    {
        if (stopping)
        {
            return;
        }

        stopping = true;
        if (thread is not null)
        {
            requested.Release();
            thread.Join();
            Interlocked.Decrement(ref liveThreads);
        }

        requested.Dispose();
        gathered.Dispose();
    }

    private void Gather()
    {
        Trainer.Gather(data, order.AsSpan(start, count), images, labels, targets);
        augmenter?.Apply(images.AsSpan(0, count * data.SampleSize), order.AsSpan(start, count), epoch);
    }

    private void GatherLoop()
    {
        while (true)
        {
            requested.Wait();
            if (stopping)
            {
                return;
            }

            try
            {
                Gather();
            }
            catch (Exception exception)
            {
                // Handed to the training thread, which rethrows it when it takes the batch.
                failure = ExceptionDispatchInfo.Capture(exception);
            }

            BackgroundAllocatedBytes = GC.GetAllocatedBytesForCurrentThread();
            gathered.Release();
        }
    }
}
