using ConvGen.Samples.OnnxDeployment;

// dotnet run --project samples/OnnxExport -c Release [-- path/to/model.onnx]   (default: models/digits.onnx)
string path = args.Length > 0 ? args[0] : Path.Combine("models", "digits.onnx");
DeploymentResult result = OnnxDeployment.Run(Console.Out, path);
return result.Agreeing == result.TestCount ? 0 : 1;
