using System.Diagnostics;
using ConvGen.Samples.Digits;

// `-- --predict image.png`: train, then classify one image file; no arguments: the training run.
if (args is ["--predict", string imagePath])
{
    return DigitsPrediction.Run(Console.Out, Console.Error, imagePath);
}

var clock = Stopwatch.StartNew();
Directory.CreateDirectory("pictures");
DigitsTraining.Run(Console.Out, chartPath: Path.Combine("pictures", "digits-training.svg"));
Console.WriteLine($"done in {clock.Elapsed.TotalSeconds:F1} s");
return 0;
