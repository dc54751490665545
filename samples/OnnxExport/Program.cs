using System.CommandLine;
using ConvGen.Samples.OnnxDeployment;
using ConvGen.Samples.Support;
using ConvGen.Terminal;

var output = new Option<string>("--output") { Description = "Where the ONNX file goes.", DefaultValueFactory = _ => Path.Combine("models", "digits.onnx"), HelpName = "FILE" };
var epochs = SampleOptions.Count("--epochs", "Passes over the embedded digits before exporting.", 10);
var command = new RootCommand("Trains on the embedded digits, exports the network to ONNX and checks ONNX Runtime predicts every test image the same.")
{
    output, epochs,
};
command.SetAction(parsed =>
{
    DeploymentResult result = OnnxDeployment.Run(Console.Out, TrainingDisplay.ForConsole(), parsed.GetValue(output)!, parsed.GetValue(epochs));
    return result.Agreeing == result.TestCount ? 0 : 1;
});
return await SampleCommand.RunAsync(command, args);
