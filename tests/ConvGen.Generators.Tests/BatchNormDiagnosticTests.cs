using Microsoft.CodeAnalysis;
using static ConvGen.Generators.Tests.Infrastructure.DiagnosticAssert;

namespace ConvGen.Generators.Tests;

/// <summary>
/// What BatchNorm2d declarations report: features that differ from the channels received (CG0025), eps and momentum out
/// of range (CG0026), and the shared checks it takes part in (CG0003, CG0014). Each with its corrected twin, which must
/// report nothing and compile.
/// </summary>
public sealed class BatchNormDiagnosticTests
{
    [Fact, DiagnosticTest("CG0025")]
    public void FeaturesMismatch() => Reports(
        Network("Conv2d(16, Kernel = 3), BatchNorm2d({|CG0025:32=>16|}), ReLU, Flatten, Linear(576, 10)"),
        Error("BatchNorm2d 'bn1' declares 32 features but receives 16: 1x8x8 -> conv1 16x6x6"));

    [Fact, DiagnosticTest("CG0025")]
    public void FeaturesMismatchByParameterNameAfterPooling() => Reports(
        Network("Conv2d(4, Kernel = 3), MaxPool2d(2), BatchNorm2d({|CG0025:numFeatures: 8=>numFeatures: 4|}, Eps = 1e-3, Name = \"norm\"), Flatten, Linear(36, 10)"),
        Error("BatchNorm2d 'norm' declares 8 features but receives 4: 1x8x8 -> conv1 4x6x6 -> pool1 4x3x3"));

    [Fact, DiagnosticTest("CG0025")]
    public void FeaturesOfTheFirstLayerAreTheInputChannels() => Reports(
        "[Network(InputChannels = 3, InputHeight = 4, InputWidth = 4)]\n[BatchNorm2d({|CG0025:1=>3|}), Flatten, Linear(48, 2)]\npublic sealed partial record Net;\n",
        Error("BatchNorm2d 'bn1' declares 1 features but receives 3: 3x4x4"));

    [Theory, DiagnosticTest("CG0026")]
    [InlineData("Momentum = 1.5", "Momentum = 0.1", "Momentum = 1.5, but Momentum must be in [0, 1]")]
    [InlineData("Momentum = -0.1", "Momentum = 0", "Momentum = -0.1, but Momentum must be in [0, 1]")]
    [InlineData("Momentum = double.NaN", "Momentum = 1", "Momentum = NaN, but Momentum must be in [0, 1]")]
    [InlineData("Eps = 0", "Eps = 1e-5", "Eps = 0, but Eps must be positive and finite")]
    [InlineData("Eps = -1e-5", "Eps = 1e-3", "Eps = -1E-05, but Eps must be positive and finite")]
    [InlineData("Eps = double.PositiveInfinity", "Eps = 0.5", "Eps = Infinity, but Eps must be positive and finite")]
    public void SettingOutOfRange(string wrong, string right, string message) => Reports(
        Network("Conv2d(8, Kernel = 3), BatchNorm2d({|CG0026:" + wrong + "=>" + right + "|}), Flatten, Linear(288, 10)"),
        Error("BatchNorm2d 'bn1' declares " + message));

    [Fact, DiagnosticTest("CG0003")]
    public void FeaturesNotPositive() => Reports(
        Network("Conv2d(8, Kernel = 3), BatchNorm2d({|CG0003:0=>8|}), Flatten, Linear(288, 10)"),
        Error("BatchNorm2d 'bn1' declares features 0, but features must be at least 1"));

    [Fact, DiagnosticTest("CG0014")]
    public void BatchNormAfterFlatten() => Reports(
        Network("Conv2d(8, Kernel = 3), {|Flatten, =>|}{|CG0014:BatchNorm2d|}{|=>, Flatten|}, Linear(288, 10)"),
        Error("BatchNorm2d 'bn1' needs a C x H x W input but receives 288 flat features: 1x8x8 -> conv1 8x6x6 -> flatten 288"));

    [Fact]
    public void FeaturesMismatchPointsAtTheLayerThatDecidedTheChannels()
    {
        GeneratorRun run = GeneratorDriverHelper.Run(Header + Network("Conv2d(4, Kernel = 3), ReLU, MaxPool2d(2), BatchNorm2d(3), Flatten, Linear(36, 10)"));
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("CG0025", diagnostic.Id);
        string source = run.InputCompilation.SyntaxTrees.Single().ToString();
        Assert.Equal(["4"], diagnostic.AdditionalLocations.Select(location => source.Substring(location.SourceSpan.Start, location.SourceSpan.Length)));
        Assert.Equal("4", diagnostic.Properties["ConvGen.InferredValue"]);
    }

    [Fact]
    public void InferredAndMatchingFeaturesReportNothing()
    {
        GeneratorDriverHelper.Run(Header + Network("Conv2d(4, Kernel = 3), BatchNorm2d, ReLU, BatchNorm2d(4, Eps = 1e-3, Momentum = 0), Flatten, Linear(144, 10), Dropout(0.5)")).AssertCompilesCleanly();
    }
}
