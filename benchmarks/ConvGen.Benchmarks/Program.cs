using BenchmarkDotNet.Running;
using ConvGen.Benchmarks;

// `e2e`: training and inference images/s; `kernels`: quick stopwatch timings of the kernels; `layers`: where a
// training step's and an inference pass's time goes, kernel by kernel, over hand-written copies of the generated calls;
// `profile`: the same for an e2e network as it runs, recorded by KernelProfiler (samples/ResNet's by default)
// (`e2e lenet`, `layers mnist`, `profile mnist`: one network's cases only); anything else goes to BenchmarkDotNet
// (e.g. `--filter *`).
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
    case "profile":
        EndToEndRunner.Profile(args.ElementAtOrDefault(1));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(args);
        break;
}
