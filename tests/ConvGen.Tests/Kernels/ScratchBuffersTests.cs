using ConvGen.Kernels;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// Scratch sizes asked for while running parts reach every worker before its next job, so a worker that first meets
/// a kernel's part (or its largest part) late in training does not allocate then. Each case asks for sizes far beyond
/// any kernel's, so that no other test's requests decide the outcome. Alone in the process, since the pool is shared.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed unsafe class ScratchBuffersTests
{
    private const ScratchPurpose Purpose = ScratchPurpose.LaneSums;

    [Fact]
    public void AThreadThatTakesThePartMarksThenGetsThatSizeWithoutAllocating() => WithEveryThread(() =>
    {
        const int length = 1 << 18;
        RequestInSharedParts(length);

        long withoutMarks = OnFreshThread(() => BytesToGet(length));
        long afterMarks = OnFreshThread(() =>
        {
            ScratchBuffers.GrowToPartMarks();
            return BytesToGet(length);
        });

        Assert.True(withoutMarks >= length * sizeof(float), $"a fresh thread's request allocated only {withoutMarks} bytes");
        Assert.Equal(0, afterMarks);
    });

    [Fact]
    public void ACallsOwnBuffersAndASerialJobRaiseNoMark() => WithEveryThread(() =>
    {
        // Bigger than the other cases' marks: a call's own buffers (filled before its parts run), and those of a job of
        // one part (run on the calling thread alone), stay with their thread.
        const int length = 1 << 20;
        OnFreshThread(() =>
        {
            var serial = new SizedRequest(null, length + 16);
            WorkerPool.Run(ref serial, 1);
            return BytesToGet(length);
        });

        long afterMarks = OnFreshThread(() =>
        {
            ScratchBuffers.GrowToPartMarks();
            return BytesToGet(length);
        });

        Assert.True(afterMarks >= length * sizeof(float), $"the request after taking the marks allocated only {afterMarks} bytes");
    });

    [Fact]
    public void PoolWorkersHaveTheSizeBeforeTheirNextJob() => WithEveryThread(() =>
    {
        const int length = 3 << 18;
        RequestInSharedParts(length);
        const int parts = 64;
        long[] samples = new long[2 * parts];
        int caller = Environment.CurrentManagedThreadId;
        fixed (long* start = samples)
        {
            var work = new SizedRequest(start, length);
            WorkerPool.Run(ref work, parts);
        }

        var workerParts = Enumerable.Range(0, parts).Where(part => samples[2 * part] != caller).ToArray();
        Assert.NotEmpty(workerParts);
        Assert.All(workerParts, part => Assert.Equal(0, samples[2 * part + 1]));
    });

    // Parts of a job the pool splits between threads ask for the size, which raises the purpose's mark.
    private static void RequestInSharedParts(int length)
    {
        var work = new SizedRequest(null, length);
        WorkerPool.Run(ref work, 2);
    }

    private static void WithEveryThread(Action test)
    {
        int original = KernelThreads.Count;
        KernelThreads.Count = KernelThreads.Maximum;
        try
        {
            test();
        }
        finally
        {
            KernelThreads.Count = original;
        }
    }

    // What this thread allocates to get the size.
    private static long BytesToGet(int length)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        ScratchBuffers.Get(Purpose, length);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    // Scratch is per thread: each step runs on a thread that has none yet.
    private static long OnFreshThread(Func<long> step)
    {
        long result = 0;
        var thread = new Thread(() => result = step());
        thread.Start();
        thread.Join();
        return result;
    }

    /// <summary>Each part asks for the size and notes its thread and the bytes that request allocated.</summary>
    private readonly struct SizedRequest(long* samples, int length) : IPartitionedWork
    {
        public void Execute(int part)
        {
            // Linger a little so that every worker wakes and takes some parts.
            Thread.SpinWait(20_000);
            long before = GC.GetAllocatedBytesForCurrentThread();
            ScratchBuffers.Get(Purpose, length);
            if (samples != null)
            {
                samples[2 * part] = Environment.CurrentManagedThreadId;
                samples[2 * part + 1] = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
    }
}
