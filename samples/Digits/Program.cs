using System.Diagnostics;
using ConvGen.Samples.Digits;

var clock = Stopwatch.StartNew();
Directory.CreateDirectory("pictures");
DigitsTraining.Run(Console.Out, chartPath: Path.Combine("pictures", "digits-training.svg"));
Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
