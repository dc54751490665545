using System.CommandLine;
using ConvGen.Samples.DigitsPredict;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var image = new Argument<string>("image") { Description = "The image file (PNG, JPEG, WebP, GIF or BMP): dark ink on light paper." };
var epochs = SampleOptions.Count("--epochs", "Passes over the embedded digits before predicting.", 30);
var command = new RootCommand("Trains the Digits sample's network on the embedded digits, then predicts the digit in an image file.")
{
    image, epochs,
};
command.SetAction(parsed => DigitsPrediction.Run(Console.Out, Console.Error, TrainingDisplay.ForConsole(), parsed.GetValue(image)!, parsed.GetValue(epochs)));
return await SampleCommand.RunAsync(command, args);
