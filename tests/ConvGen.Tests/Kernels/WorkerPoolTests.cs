using ConvGen.Kernels;
using ConvGen.Kernels.Parallel;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// The worker pool under the pattern that once hung a training run: short jobs back to back, their part counts
/// changing from one job to the next (a GEMM packs A in a few parts, then multiplies in many), so that a worker often
/// wakes for a job the caller has already finished. Every part of every job must run exactly once, and every job must
/// return. Alone in the process, since the pool is shared.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class WorkerPoolTests
{
    private const int Jobs = 400_000;
    private static readonly int[] PartCounts = [2, 9, 3, 16, 1, 5, 2, 12];

    [Fact]
    public async Task ShortJobsWithChangingPartCountsRunEveryPartExactlyOnce()
    {
        int original = KernelThreads.Count;
        KernelThreads.Count = KernelThreads.Maximum;
        try
        {
            // On a thread of its own, so that a job that never returns fails the test instead of hanging the run.
            var jobs = Task.Factory.StartNew(RunJobs, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            string failure;
            try
            {
                failure = await jobs.WaitAsync(TimeSpan.FromMinutes(3));
            }
            catch (TimeoutException)
            {
                failure = "a job never returned: a part was lost, or counted twice";
            }

            Assert.Equal("", failure);
        }
        finally
        {
            KernelThreads.Count = original;
        }
    }

    // The first job whose parts did not each run once, described; empty when all did.
    private static unsafe string RunJobs()
    {
        int* runs = stackalloc int[PartCounts.Max()];
        for (int job = 0; job < Jobs; job++)
        {
            int parts = PartCounts[job % PartCounts.Length];
            new Span<int>(runs, parts).Clear();
            var work = new CountingWork(runs);
            WorkerPool.Run(ref work, parts);
            for (int part = 0; part < parts; part++)
            {
                if (runs[part] != 1)
                {
                    return $"job {job}: part {part} of {parts} ran {runs[part]} times";
                }
            }
        }

        return "";
    }

    private readonly unsafe struct CountingWork(int* runs) : IPartitionedWork
    {
        public void Execute(int part) => Interlocked.Increment(ref runs[part]);
    }
}
