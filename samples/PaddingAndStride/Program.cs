using ConvGen.Data;
using ConvGen.Samples.PaddingAndStride;

// Usage: PaddingAndStride [FASHION_MNIST_FOLDER] [EPOCHS]
string folder = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "fashion-mnist");
int epochs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
return IdxDataset.Load(folder, DatasetSource.FashionMnist).Match(
    Right: data =>
    {
        Console.WriteLine("Fashion-MNIST as shared here is not the official split: per class the first 6,000 images train, the rest test.");
        Comparison.Run(Console.Out, data.Train, data.Test, epochs);
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine("error: " + error.Message);
        return 1;
    });
