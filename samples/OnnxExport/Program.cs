using ConvGen.Samples.OnnxDeployment;

// dotnet run --project samples/OnnxExport [-- path/to/model.onnx]
string path = args.Length > 0 ? args[0] : "digits.onnx";
DeploymentResult result = OnnxDeployment.Run(Console.Out, path);
return result.Agreeing == result.TestCount ? 0 : 1;
