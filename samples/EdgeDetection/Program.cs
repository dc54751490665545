using System.CommandLine;
using ConvGen.Samples.EdgeDetection;
using ConvGen.Samples.Support;

var command = new RootCommand("Learns the edge kernel [1, -1] from an image and its edges by gradient descent.");
command.SetAction(_ => EdgeKernelLearning.Run(Console.Out));
return await SampleCommand.RunAsync(command, args);
