using ConvGen.Data;
using ConvGen.Samples.ResNet;

// Usage: ResNet [FASHION_MNIST_FOLDER] [EPOCHS] [--no-baseline]
string folder = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "fashion-mnist");
int epochs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
bool baseline = !args.Contains("--no-baseline");
return IdxDataset.Load(folder, DatasetSource.FashionMnist).Match(
    Right: data =>
    {
        Console.WriteLine("Fashion-MNIST as shared here is not the official split: per class the first 6,000 images train, the rest test.");
        ResNetComparison.Run(Console.Out, data.Train, data.Test, epochs, withBaseline: baseline);
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine("error: " + error.Message);
        return 1;
    });
