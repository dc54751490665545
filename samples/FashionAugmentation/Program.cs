using System.CommandLine;
using ConvGen.Data;
using ConvGen.Samples.FashionAugmentation;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var data = SampleOptions.DataFolder("fashion-mnist", "Folder holding Fashion-MNIST's four IDX files (default: shared/data/fashion-mnist beside the repository).");
var images = SampleOptions.Count("--images", "Training images, drawn at random (seed 1) from the training set; both runs train on the same ones.", 2000);
var epochs = SampleOptions.Count("--epochs", "Passes over the training images, for each of the two runs.", 30);
var metrics = SampleOptions.OutputFolder("--metrics", "Where the runs' metrics logs plain.csv and augmented.csv go.", "metrics");
var pictures = SampleOptions.OutputFolder("--pictures", "Where augmented-samples.png goes.", "pictures");
var command = new RootCommand("The same small CNN trained on a few Fashion-MNIST images with and without augmentation (random crop and flip), test accuracy side by side.")
{
    data, images, epochs, metrics, pictures,
};
command.SetAction(parsed => IdxDataset.Load(parsed.GetValue(data)!, DatasetSource.FashionMnist).Match(
    Right: loaded =>
    {
        Console.WriteLine("Fashion-MNIST as shared here is not the official split: per class the first 6,000 images train, the rest test.");
        // A small training set, drawn at random: where augmentation helps most.
        Dataset train = loaded.Train.Select(Dataset.Permutation(loaded.Train.Count, seed: 1).AsSpan(0, Math.Min(parsed.GetValue(images), loaded.Train.Count)));
        string picture = Path.Combine(parsed.GetValue(pictures)!, "augmented-samples.png");
        Directory.CreateDirectory(parsed.GetValue(pictures)!);
        AugmentationComparison.DrawAugmentedSamples(train, picture, images: Math.Min(6, train.Count));
        Console.WriteLine($"{picture}: the first training images as they are and in epochs 1 to 5 of the augmented run");
        AugmentationComparison.Run(Console.Out, TrainingDisplay.ForConsole(), train, loaded.Test, parsed.GetValue(epochs), parsed.GetValue(metrics)!);
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine("error: " + error.Message);
        return 1;
    }));
return await SampleCommand.RunAsync(command, args);
