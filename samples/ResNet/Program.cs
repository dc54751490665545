using System.CommandLine;
using ConvGen.Data;
using ConvGen.Samples.ResNet;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var data = SampleOptions.DataFolder("fashion-mnist", "Folder holding Fashion-MNIST's four IDX files (default: shared/data/fashion-mnist beside the repository).");
var epochs = SampleOptions.Count("--epochs", "Passes over the training images, for each network.", 15);
var batchSize = SampleOptions.Count("--batch-size", "Images per training step.", 128);
var images = SampleOptions.Count("--images", "Training images: all of them unless fewer, then drawn at random (seed 1); both networks train on the same ones.", 60_000);
var testImages = SampleOptions.Count("--test-images", "Test images: the first N of the test set (a quick run).", 10_000);
var noAugmentation = new Option<bool>("--no-augmentation") { Description = "Train on the images as they are, without mirroring half of them at random." };
var pictures = SampleOptions.OutputFolder("--pictures", $"Where {ResNetComparison.ChartFile} (both networks' accuracy per epoch) goes.", "pictures");
var noBaseline = new Option<bool>("--no-baseline") { Description = "Train the ResNet only, without notebook 002's plain CNN beside it." };
var command = new RootCommand("A small ResNet on Fashion-MNIST beside notebook 002's plain CNN on the same split, test accuracies and times side by side.")
{
    data, epochs, batchSize, images, testImages, noAugmentation, pictures, noBaseline,
};
command.SetAction(parsed => IdxDataset.Load(parsed.GetValue(data)!, DatasetSource.FashionMnist).Match(
    Right: loaded =>
    {
        Console.WriteLine("Fashion-MNIST as shared here is not the official split: per class the first 6,000 images train, the rest test.");
        // The whole training set keeps its order (the runs the README quotes); fewer images are a random draw.
        int trainCount = parsed.GetValue(images);
        Dataset train = trainCount >= loaded.Train.Count ? loaded.Train : loaded.Train.Select(Dataset.Permutation(loaded.Train.Count, seed: 1).AsSpan(0, trainCount));
        Dataset test = loaded.Test.Select([.. Enumerable.Range(0, Math.Min(parsed.GetValue(testImages), loaded.Test.Count))]);
        var figures = ResNetComparison.Run(Console.Out, TrainingDisplay.ForConsole(), train, test, parsed.GetValue(epochs), parsed.GetValue(batchSize), withBaseline: !parsed.GetValue(noBaseline),
            augmentation: parsed.GetValue(noAugmentation) ? null : ResNetComparison.Mirroring);
        Console.WriteLine($"accuracy per epoch: {ResNetComparison.SaveChart(parsed.GetValue(pictures)!, figures)}");
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine("error: " + error.Message);
        return 1;
    }));
return await SampleCommand.RunAsync(command, args);
