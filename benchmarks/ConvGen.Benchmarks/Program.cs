using BenchmarkDotNet.Running;
using ConvGen.Benchmarks;

// `e2e`: training and inference images/s; `kernels`: quick stopwatch timings of the kernels; anything else goes to
// BenchmarkDotNet (e.g. `--filter *`).
switch (args.FirstOrDefault())
{
    case "e2e":
        EndToEndRunner.Run();
        break;
    case "kernels":
        QuickKernelRunner.Run();
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args);
        break;
}
