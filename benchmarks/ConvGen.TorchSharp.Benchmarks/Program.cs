using ConvGen.Benchmarks;
using ConvGen.TorchSharp;
using ConvGen.Training;

// ConvGen networks on the TorchSharp backend, as EndToEndRunner times them on the managed one: full training steps
// (forward, cross-entropy, backward, Adam) and inference passes on random data, images per second, under the same case
// names, so that benchmarks/run.sh puts them in a third column. Usage: e2e [mnist|lenet].
if (args.Length is 0 or > 2 || args[0] != "e2e" || (args.Length == 2 && args[1] is not ("mnist" or "lenet")))
{
    Console.Error.WriteLine("usage: ConvGen.TorchSharp.Benchmarks e2e [mnist|lenet]");
    return 2;
}

return TorchDevice.Parse("cpu").Match(
    Right: device =>
    {
        TorchEndToEnd.Run(args.Length == 2 ? args[1] : null, device);
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine(error.Message);
        return 1;
    });
