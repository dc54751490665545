using System.CommandLine;
using ConvGen.Samples.Convolutions;
using ConvGen.Samples.Support;

var command = new RootCommand(
    "Cross-correlation against true convolution, padding, stride, channels, 1x1 kernels and pooling, by value: what notebooks 004 and 002 print.");
command.SetAction(_ => ConvolutionsTour.Run(Console.Out));
return await SampleCommand.RunAsync(command, args);
