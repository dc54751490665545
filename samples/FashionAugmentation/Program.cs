using System.Globalization;
using ConvGen.Data;
using ConvGen.Samples.FashionAugmentation;

// Usage: FashionAugmentation [FASHION_MNIST_FOLDER] [TRAINING_IMAGES] [EPOCHS] [METRICS_FOLDER]
string folder = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "data", "fashion-mnist");
int images = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
int epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
string metrics = args.Length > 3 ? args[3] : "metrics";
return IdxDataset.Load(folder, DatasetSource.FashionMnist).Match(
    Right: data =>
    {
        Console.WriteLine("Fashion-MNIST as shared here is not the official split: per class the first 6,000 images train, the rest test.");
        // A small training set, drawn at random: where augmentation helps most.
        Dataset train = data.Train.Select(Dataset.Permutation(data.Train.Count, seed: 1).AsSpan(0, Math.Min(images, data.Train.Count)));
        Directory.CreateDirectory("pictures");
        AugmentationComparison.DrawAugmentedSamples(train, Path.Combine("pictures", "augmented-samples.png"));
        Console.WriteLine("pictures/augmented-samples.png: the first training images as they are and in epochs 1 to 5 of the augmented run");
        AugmentationComparison.Run(Console.Out, train, data.Test, epochs, metrics);
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine("error: " + error.Message);
        return 1;
    });
