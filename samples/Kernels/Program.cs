using System.CommandLine;
using ConvGen.Samples.Kernels;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var pictures = SampleOptions.OutputFolder("--pictures", "Where kernels.png, feature-maps.png and exercise-training.svg go.", "pictures");
var data = SampleOptions.DataFolder(
    "fashion-mnist", "Folder holding Fashion-MNIST's four IDX files, for part 2 (default: shared/data/fashion-mnist beside the repository); part 2 is skipped without it.");
var epochs = SampleOptions.Count("--epochs", "Passes of the exercise network over its 1000 images (part 2).", 10);
var command = new RootCommand("Notebook 003: one 8x8 kernel trained on the digit 3, then the exercise network on Fashion-MNIST, with pictures.")
{
    pictures, data, epochs,
};
command.SetAction(parsed =>
{
    string folder = parsed.GetValue(pictures)!;
    int exit = KernelsSample.Run(Console.Out, Console.Error, TrainingDisplay.ForConsole(), folder, parsed.GetValue(data)!, epochs: parsed.GetValue(epochs));
    Console.WriteLine($"pictures: {Path.GetFullPath(folder)}");
    return exit;
});
return await SampleCommand.RunAsync(command, args);
