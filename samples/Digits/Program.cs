using System.Diagnostics;
using ConvGen.Samples.Digits;

var clock = Stopwatch.StartNew();
DigitsTraining.Run(Console.Out);
Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
