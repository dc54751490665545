using System.CommandLine;
using System.Globalization;
using ConvGen.Samples.Mnist;
using Spectre.Console;

var data = new Option<string?>("--data") { Description = "Folder holding the four IDX files (raw or .gz). Without it: the cache folder, downloading what is missing." };
var dataSet = new Option<string>("--dataset") { Description = "mnist or fashion-mnist.", DefaultValueFactory = _ => "mnist" };
var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 3 };
var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
var learningRate = new Option<float>("--learning-rate") { Description = "Adam's step size.", DefaultValueFactory = _ => 1e-3f };
var seed = new Option<int>("--seed") { Description = "Decides initialisation, shuffling and dropout.", DefaultValueFactory = _ => 1 };
var checkpoints = new Option<string>("--checkpoints") { Description = "Where the .safetensors checkpoint goes.", DefaultValueFactory = _ => "checkpoints" };
var limit = new Option<int?>("--limit") { Description = "Train on this many images only (a quick run)." };

var command = new RootCommand("Trains notebook 002's CNN on MNIST with ConvGen and saves a PyTorch-compatible checkpoint.")
{
    data, dataSet, epochs, batchSize, learningRate, seed, checkpoints, limit,
};
command.SetAction(async (parsed, cancellationToken) =>
{
    var settings = new MnistSettings(
        parsed.GetValue(data), parsed.GetValue(dataSet)!, parsed.GetValue(epochs), parsed.GetValue(batchSize),
        parsed.GetValue(learningRate), parsed.GetValue(seed), parsed.GetValue(checkpoints)!, parsed.GetValue(limit));
    IAnsiConsole console = AnsiConsole.Console;
    // Plain text goes to Console.Out: Spectre wraps redirected output at 80 columns, which breaks the summary table.
    Console.WriteLine(MnistNet.Summary());
    Console.WriteLine();
    var outcome = await ConsoleProgress.RunAsync(console, progress => MnistRun.RunAsync(settings, progress, cancellationToken));
    return outcome.Match(
        Right: result =>
        {
            if (result.Training.StopReason is { } reason)
            {
                Console.WriteLine(reason);
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "checkpoint: {0}", result.CheckpointPath));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "test accuracy: {0:F2}%", result.Test.Accuracy * 100));
            return 0;
        },
        Left: error =>
        {
            Console.Error.WriteLine("error: " + error.Message);
            return 1;
        });
});
return await command.Parse(args).InvokeAsync();
