using ConvGen.Kernels.Parallel;

namespace ConvGen.Kernels;

/// <summary>
/// How many threads the kernels split their work over, the calling thread included: every core by default, as
/// <c>torch.set_num_threads</c> sets it for PyTorch. Results do not depend on it: work is split in parts fixed by the
/// shapes and the batch alone, and partial sums are added in a fixed order.
/// </summary>
public static class KernelThreads
{
    /// <summary>The most threads <see cref="Count"/> accepts: the machine's cores, and at least two.</summary>
    public static int Maximum => WorkerPool.MaximumConcurrency;

    /// <summary>
    /// Threads the kernels use, 1 to <see cref="Maximum"/>; set it for the whole process, from the next kernel call on.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="Maximum"/>.</exception>
    public static int Count
    {
        get => WorkerPool.Concurrency;
        set
        {
            if (value < 1 || value > Maximum)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The kernels can use 1 to {Maximum} threads on this machine.");
            }

            WorkerPool.Limit(value);
        }
    }
}
