using System.CommandLine;
using ConvGen.Samples.Mnist;
using ConvGen.Samples.Support;
using Spectre.Console;

var data = new Option<string?>("--data") { Description = "Folder holding the four IDX files (raw or .gz). Without it: shared/data/DATASET beside the repository if it is there, else the cache folder, downloading what is missing." };
var dataSet = new Option<string>("--dataset") { Description = "mnist or fashion-mnist.", DefaultValueFactory = _ => "mnist" };
var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 3 };
var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => 64 };
var learningRate = new Option<float>("--learning-rate") { Description = "Adam's step size.", DefaultValueFactory = _ => 1e-3f };
var seed = new Option<int>("--seed") { Description = "Decides initialisation, shuffling and dropout.", DefaultValueFactory = _ => 1 };
var checkpoints = new Option<string>("--checkpoints") { Description = "Where the .safetensors checkpoint goes.", DefaultValueFactory = _ => "checkpoints" };
var limit = new Option<int?>("--limit") { Description = "Train on this many images only (a quick run)." };
var l2Penalty = new Option<float>("--l2-penalty") { Description = "Notebook 002's explicit L2 penalty lambda, e.g. 0.001: loss + lambda * sum(p^2). Off by default." };
var resume = new Option<string?>("--resume") { Description = "Continue the run a Ctrl+C stopped, from the resumable checkpoint it saved; give the same other options." };

var command = new RootCommand("Trains notebook 002's CNN on MNIST with ConvGen and saves a PyTorch-compatible checkpoint.")
{
    data, dataSet, epochs, batchSize, learningRate, seed, checkpoints, limit, l2Penalty, resume,
};
command.SetAction(async (parsed, cancellationToken) =>
{
    // System.CommandLine turns Ctrl+C into cancellation only once the action has handed back its task: yield first, so
    // the training, which runs in line, starts after that.
    await Task.Yield();
    var settings = new MnistSettings(
        parsed.GetValue(data) ?? SharedData.ExistingFolder(parsed.GetValue(dataSet)!), parsed.GetValue(dataSet)!, parsed.GetValue(epochs), parsed.GetValue(batchSize),
        parsed.GetValue(learningRate), parsed.GetValue(seed), parsed.GetValue(checkpoints)!, parsed.GetValue(limit))
    {
        L2Penalty = parsed.GetValue(l2Penalty),
        Resume = parsed.GetValue(resume),
    };
    return await MnistConsole.RunAsync(settings, AnsiConsole.Console, Console.Out, Console.Error, cancellationToken);
});
// Ctrl+C cancels the token; the run stops before its next step and saves a resumable checkpoint, which may take longer
// than the library's default two seconds' grace before it ends the process.
return await SampleCommand.RunAsync(command, args, configuration: new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(1) });
