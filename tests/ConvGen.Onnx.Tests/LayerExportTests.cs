namespace ConvGen.Onnx.Tests;

/// <summary>Each layer kind and option, exported on its own, gives ConvGen's outputs in ONNX Runtime.</summary>
public sealed class LayerExportTests
{
    [Theory]
    [MemberData(nameof(Cases))]
    public void Layer_runs_in_OnnxRuntime_as_in_ConvGen(string layerCase) =>
        OnnxRuntimeCheck.ExportMatches(LayerCases.All[layerCase], seed: layerCase.Length);

    public static TheoryData<string> Cases => LayerCases.Names;
}
