using BenchmarkDotNet.Running;
using ConvGen.Benchmarks;

// `e2e`: training and inference images/s; `kernels`: quick stopwatch timings of the kernels; `layers`: where a
// training step's and an inference pass's time goes, kernel by kernel (`e2e lenet`, `layers mnist`: one network's
// cases only); anything else goes to BenchmarkDotNet (e.g. `--filter *`).
switch (args.FirstOrDefault())
{
    case "e2e":
        EndToEndRunner.Run(args.ElementAtOrDefault(1));
        break;
    case "kernels":
        QuickKernelRunner.Run();
        break;
    case "layers":
        LayerProfile.Run(args.ElementAtOrDefault(1));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args);
        break;
}
