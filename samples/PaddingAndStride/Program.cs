using System.CommandLine;
using ConvGen.Data;
using ConvGen.Samples.PaddingAndStride;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var data = SampleOptions.DataFolder("fashion-mnist", "Folder holding Fashion-MNIST's four IDX files (default: shared/data/fashion-mnist beside the repository).");
var epochs = SampleOptions.Count("--epochs", "Passes over the training data, for each of the four networks.", 3);
var command = new RootCommand("Notebook 001's four networks trained on Fashion-MNIST side by side, with the sizes their summaries show.")
{
    data, epochs,
};
command.SetAction(parsed => IdxDataset.Load(parsed.GetValue(data)!, DatasetSource.FashionMnist).Match(
    Right: loaded =>
    {
        Console.WriteLine("Fashion-MNIST as shared here is not the official split: per class the first 6,000 images train, the rest test.");
        Comparison.Run(Console.Out, TrainingDisplay.ForConsole(), loaded.Train, loaded.Test, parsed.GetValue(epochs));
        return 0;
    },
    Left: error =>
    {
        Console.Error.WriteLine("error: " + error.Message);
        return 1;
    }));
return await SampleCommand.RunAsync(command, args);
