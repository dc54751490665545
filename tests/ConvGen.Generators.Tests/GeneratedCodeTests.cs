using System.Reflection;
using System.Runtime.CompilerServices;

namespace ConvGen.Generators.Tests;

/// <summary>
/// The generated code of representative networks, compared with reviewed snapshots; each must also compile with no
/// error and no warning beside the declaration it extends.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact, Snapshot("ConvGen.Samples.Digits.DigitsNet.g.cs")]
    public void DigitsSample() => VerifyGenerated(Networks.Digits);

    [Fact, Snapshot(Networks.MnistHintName)]
    public void NotebookMnist() => VerifyGenerated(Networks.Mnist);

    [Fact, Snapshot("Networks.SmallResNet.g.cs")]
    public void ResidualUnitsWithIdentityAndProjectionShortcuts() => VerifyGenerated(Networks.SmallResNet);

    [Fact, Snapshot("Networks.BranchNet.g.cs")]
    public void ConcatenatedBranchesWithANestedResidualUnit() => VerifyGenerated(Networks.Branches);

    [Fact, Snapshot("Networks.AveragingNet.g.cs")]
    public void AveragePoolingAndBiasFreeConvolution() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>Average pooling with padding, a strided bias-free convolution and a named layer.</summary>
        [Network(InputChannels = 3, InputHeight = 15, InputWidth = 15)]
        [Conv2d(8, Kernel = 3, Padding = 1, Bias = false), ReLU, AvgPool2d(3, Stride = 2, Padding = 1)]
        [Conv2d(16, Kernel = 2, Stride = 2, InChannels = 8, Name = "reduce"), ReLU]
        [Flatten, Linear(256, 10, Bias = false)]
        public sealed partial record AveragingNet;
        """);

    [Fact, Snapshot("Networks.LeNet.g.cs")]
    public void LeNetWithSigmoidsAfterItsConvolutionsAndAveragePools() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>LeNet-5 as d2l.ai writes it: each convolution applies its sigmoid, each pool the sigmoid's backward pass.</summary>
        [Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
        [Conv2d(6, Kernel = 5, Padding = 2), Sigmoid, AvgPool2d(2, Stride = 2)]
        [Conv2d(16, Kernel = 5), Sigmoid, AvgPool2d(2, Stride = 2)]
        [Flatten, Linear(400, 120), Sigmoid, Linear(120, 84), Sigmoid, Linear(84, 10)]
        public sealed partial record LeNet;
        """);

    [Fact, Snapshot("Networks.SmoothNet.g.cs")]
    public void EluWithItsDefaultAndAnotherAlpha() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>ELU, the layer kind added as one catalogue entry: PyTorch's default alpha, then alpha 0.5.</summary>
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(4, Kernel = 3), ELU, MaxPool2d(2)]
        [Flatten, Linear(36, 8), ELU(Alpha = 0.5), Linear(8, 2)]
        public sealed partial record SmoothNet;
        """);

    [Fact, Snapshot("Networks.BorderAveragingNet.g.cs")]
    public void AveragePoolingWithoutPaddingInTheDivisor() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>Average pooling that divides by the input values each window covers, in floor and in ceil mode.</summary>
        [Network(InputChannels = 2, InputHeight = 9, InputWidth = 9)]
        [AvgPool2d(3, Stride = 2, Padding = 1, CountIncludePad = false), AvgPool2d(2, Padding = 1, CeilMode = true, CountIncludePad = false)]
        [AvgPool2d(2, Stride = 1), Flatten, Linear(8, 4)]
        public sealed partial record BorderAveragingNet;
        """);

    [Fact, Snapshot("Networks.OptionsNet.g.cs")]
    public void DilationGroupsPaddingModesCeilModeAndAdaptivePooling() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>Per-axis sizes, a dilated grouped convolution (general kernel), "valid", ceil mode and adaptive pooling.</summary>
        [Network(InputChannels = 3, InputHeight = 15, InputWidth = 12)]
        [Conv2d(8, KernelHeight = 3, KernelWidth = 5, PaddingMode = "same"), ReLU]
        [Conv2d(8, Kernel = 3, Dilation = 2, Groups = 4, PaddingHeight = 2), ReLU, MaxPool2d(2, CeilMode = true)]
        [Conv2d(16, Kernel = 2, PaddingMode = "valid"), AvgPool2d(KernelHeight = 2, KernelWidth = 1, StrideWidth = 2, CeilMode = true)]
        [GlobalAvgPool2d, Flatten, Linear(16, 4)]
        public sealed partial record OptionsNet;
        """);

    [Fact, Snapshot("Networks.BatchNormNet.g.cs")]
    public void BatchNormBuffersAfterTheLearnedValues() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>Batch norm with inferred and declared features, its own eps and momentum, and on 1x1 planes.</summary>
        [Network(InputChannels = 2, InputHeight = 6, InputWidth = 6)]
        [Conv2d(4, Kernel = 3), BatchNorm2d, ReLU, MaxPool2d(2)]
        [Conv2d(6, Kernel = 2, Bias = false), BatchNorm2d(6, Eps = 1e-3, Momentum = 0.3), ReLU]
        [Flatten, Linear(6, 3)]
        public sealed partial record BatchNormNet;
        """);

    [Fact, Snapshot("GlobalNet.g.cs")]
    public void GlobalNamespace() => VerifyGenerated("""
        using ConvGen;

        /// <summary>A network outside any namespace: the generated file must not declare one either.</summary>
        [Network(InputChannels = 1, InputHeight = 4, InputWidth = 4)]
        [Flatten, Linear(16, 2)]
        public partial record GlobalNet;
        """);

    [Fact, Snapshot("Networks.SignalNet.g.cs")]
    public void Conv1dOverASequence() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>A C x L input: a strided Conv1d (im2col kernel), a dilated grouped one (general kernel), then the flat layers.</summary>
        [Network(InputChannels = 2, InputLength = 100)]
        [Conv1d(16, Kernel = 5, Stride = 2, Padding = 2), ReLU]
        [Conv1d(16, Kernel = 3, Dilation = 2, Groups = 4, PaddingMode = "same", Bias = false), ReLU]
        [Flatten, Dropout(0.25), Linear(800, 4)]
        public sealed partial record SignalNet;
        """);

    [Fact, Snapshot("Networks.ClassifierNet.g.cs")]
    public void SoftmaxOverChannelsAndEndingInLogSoftmax() => VerifyGenerated("""
        using ConvGen;

        namespace Networks;

        /// <summary>Softmax over the channels at each pixel, and log-probabilities out, as for NLLLoss.</summary>
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(4, Kernel = 3), Softmax, MaxPool2d(2)]
        [Flatten, Linear(36, 10), LogSoftmax]
        public sealed partial record ClassifierNet;
        """);

    [Fact]
    public void CompilesBesideTheSdksImplicitUsings()
    {
        // The tests above compile without implicit usings; a default project has them, and the generated usings must not clash.
        const string ImplicitUsings = """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Threading;
            global using System.Threading.Tasks;
            """;
        GeneratorDriverHelper.Run(Networks.Mnist, ImplicitUsings).AssertCompilesCleanly();
    }

    private static void VerifyGenerated(string source, [CallerMemberName] string test = "")
    {
        GeneratorRun run = GeneratorDriverHelper.Run(source);
        run.AssertCompilesCleanly();
        Snapshot.Verify(
            typeof(GeneratedCodeTests).GetMethod(test, BindingFlags.Public | BindingFlags.Instance)!,
            run.GeneratedSources.Select(generated => (generated.HintName, generated.SourceText.ToString())));
    }
}
