using System.CommandLine;
using System.Diagnostics;
using ConvGen.Samples.Digits;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var epochs = SampleOptions.Count("--epochs", "Passes over the training data.", 30);
var seed = SampleOptions.Count("--seed", "Decides the split, the initialisation, the shuffling and the dropout.", 7, minimum: 0);
var pictures = SampleOptions.OutputFolder("--pictures", "Where the training curves, digits-training.svg, go.", "pictures");
var command = new RootCommand("Trains a small CNN on the 8x8 digits embedded in ConvGen (no download) and draws its training curves.")
{
    epochs, seed, pictures,
};
command.SetAction(parsed =>
{
    var clock = Stopwatch.StartNew();
    string folder = parsed.GetValue(pictures)!;
    Directory.CreateDirectory(folder);
    DigitsTraining.Run(Console.Out, TrainingDisplay.ForConsole(), parsed.GetValue(epochs), parsed.GetValue(seed), Path.Combine(folder, "digits-training.svg"));
    Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
});
return await SampleCommand.RunAsync(command, args);
