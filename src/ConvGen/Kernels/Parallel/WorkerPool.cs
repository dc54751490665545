using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace ConvGen.Kernels.Parallel;

/// <summary>A unit of work split into numbered parts that may run on any thread, in any order.</summary>
internal interface IPartitionedWork
{
    void Execute(int part);
}

/// <summary>
/// One persistent background thread per extra core, so that a kernel can split its work without the per-call
/// allocations and wake-up latency of <c>Parallel.For</c>. The caller always takes parts too; work started from
/// inside a part, or while another thread holds the pool, simply runs on the calling thread. Kernels must make
/// their results independent of which thread runs which part (they do: parts never share an output value).
/// </summary>
internal static unsafe class WorkerPool
{
    // How long an idle worker polls for the next job before it sleeps: a training step issues jobs back to back.
    private const int SpinIterations = 20_000;

    private static readonly object Gate = new();
    private static readonly SemaphoreSlim Wake = new(0);
    // One worker even on a single core, idle unless asked for, so that results can be checked with two threads anywhere.
    private static readonly int WorkerCount = Math.Max(1, Environment.ProcessorCount - 1);
    private static int activeWorkers = Environment.ProcessorCount - 1;

    private static delegate*<void*, int, void> currentBody;
    private static void* currentState;
    private static int currentPartCount;
    private static int currentWorkers;
    // Parts not yet claimed, counted down: a claim is one atomic decrement, so a worker that wakes late (even one
    // that a busy host stopped half-way through a claim) either takes a real part of the job that is open or finds
    // the count below zero. Checking a claimed number against the part count in a second step let a late claim on
    // one job pass that check against the next job's count: a part ran twice and the caller waited for ever.
    private static int unclaimedParts = -1;
    private static int pendingParts;
    private static int jobNumber;
    private static ExceptionDispatchInfo? firstFailure;

    [ThreadStatic]
    private static bool insideWork;

    // Whether this thread runs parts of a job split between threads (a worker always may): what it asks of its scratch,
    // another thread may ask next time. Not set for a job run serially from outside any part.
    [ThreadStatic]
    private static bool runningSharedParts;

    static WorkerPool()
    {
        for (int i = 0; i < WorkerCount; i++)
        {
            int index = i;
            new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"ConvGen worker {i + 1}" }.Start();
        }
    }

    /// <summary>Whether this thread is running parts of a job split between threads, or is a worker: the parts it runs could have gone to another thread.</summary>
    public static bool RunningSharedParts => runningSharedParts;

    /// <summary>Threads that can run parts at once, the caller included.</summary>
    public static int Concurrency => Volatile.Read(ref activeWorkers) + 1;

    /// <summary>The most threads <see cref="KernelThreads.Count"/> may be set to: the cores, and at least two.</summary>
    public static int MaximumConcurrency => WorkerCount + 1;

    /// <summary>Uses <paramref name="threads"/> threads, the caller included, from the next job on.</summary>
    public static void Limit(int threads) => Volatile.Write(ref activeWorkers, threads - 1);

    /// <summary>Runs <c>work.Execute(part)</c> for every part in <c>[0, parts)</c> and returns when all are done.</summary>
    public static void Run<TWork>(ref TWork work, int parts)
        where TWork : unmanaged, IPartitionedWork
    {
        int workers = Volatile.Read(ref activeWorkers);
        if (parts <= 1 || workers == 0 || insideWork || !Monitor.TryEnter(Gate))
        {
            RunSerially(ref work, parts);
            return;
        }

        try
        {
            insideWork = true;
            runningSharedParts = true;
            currentBody = &ExecutePart<TWork>;
            currentState = Unsafe.AsPointer(ref work);
            currentPartCount = parts;
            currentWorkers = workers;
            pendingParts = parts;
            firstFailure = null;
            // Parts are open before the job is announced: a worker that sees the new job number at once must find them.
            Volatile.Write(ref unclaimedParts, parts);
            Interlocked.Increment(ref jobNumber);
            Wake.Release(Math.Min(workers, parts - 1));
            TakeParts();
            var spinner = default(SpinWait);
            while (Volatile.Read(ref pendingParts) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            // Every part is claimed (the caller's last claim found none), so the count is already below zero.
            firstFailure?.Throw();
        }
        finally
        {
            insideWork = false;
            runningSharedParts = false;
            Monitor.Exit(Gate);
        }
    }

    private static void RunSerially<TWork>(ref TWork work, int parts)
        where TWork : unmanaged, IPartitionedWork
    {
        bool wasInside = insideWork;
        insideWork = true;
        try
        {
            for (int part = 0; part < parts; part++)
            {
                work.Execute(part);
            }
        }
        finally
        {
            insideWork = wasInside;
        }
    }

    private static void ExecutePart<TWork>(void* state, int part)
        where TWork : unmanaged, IPartitionedWork => Unsafe.AsRef<TWork>(state).Execute(part);

    private static void TakeParts()
    {
        while (true)
        {
            int unclaimed = Interlocked.Decrement(ref unclaimedParts);
            if (unclaimed < 0)
            {
                return;
            }

            // A claim holds its job open, so the part count read now is that job's; parts go out in ascending order.
            int part = Volatile.Read(ref currentPartCount) - 1 - unclaimed;

            try
            {
                currentBody(currentState, part);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref firstFailure, ExceptionDispatchInfo.Capture(exception), null);
            }
            finally
            {
                Interlocked.Decrement(ref pendingParts);
            }
        }
    }

    private static void WorkerLoop(int index)
    {
        insideWork = true;
        runningSharedParts = true;
        int lastJob = 0;
        while (true)
        {
            // Poll for a while before sleeping: the next kernel of a training step usually follows within microseconds.
            for (int spin = 0; spin < SpinIterations && Volatile.Read(ref jobNumber) == lastJob; spin++)
            {
                Thread.SpinWait(8);
            }

            if (Volatile.Read(ref jobNumber) == lastJob)
            {
                Wake.Wait();
            }
            else if (Wake.CurrentCount > 0)
            {
                Wake.Wait(0);
            }

            lastJob = Volatile.Read(ref jobNumber);
            // A worker beyond the current limit sits the job out; the caller takes whatever it leaves.
            if (index < Volatile.Read(ref currentWorkers))
            {
                // Between jobs a worker holds no scratch, so it can take the sizes other threads' parts asked for.
                ScratchBuffers.GrowToPartMarks();
                TakeParts();
            }
        }
    }
}
