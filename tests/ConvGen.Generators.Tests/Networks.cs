namespace ConvGen.Generators.Tests;

/// <summary>Network declarations several test classes compile: the repository's sample and the notebooks' classics.</summary>
internal static class Networks
{
    /// <summary>The digits sample, as samples/Digits/DigitsNet.cs declares it.</summary>
    public const string Digits = """
        using ConvGen;

        namespace ConvGen.Samples.Digits;

        /// <summary>Two 3x3 convolutions with max pooling, then two linear layers.</summary>
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(16, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
        [Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
        [Flatten, Linear(128, 64), ReLU, Dropout(0.25), Linear(64, 10)]
        public sealed partial record DigitsNet;
        """;

    /// <summary>Notebook 002's MNIST network: two 5x5 convolutions, 3136 features into a 1024-wide hidden layer.</summary>
    public const string Mnist = """
        using ConvGen;

        namespace Notebooks;

        /// <summary>Notebook 002's MNIST classifier.</summary>
        [Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
        [Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
        [Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
        [Flatten, Linear(3136, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]
        public sealed partial record MnistNet;
        """;

    public const string MnistHintName = "Notebooks.MnistNet.g.cs";

    /// <summary>A small ResNet: an identity residual unit, a projection unit that halves the size and doubles the channels.</summary>
    public const string SmallResNet = """
        using ConvGen;

        namespace Networks;

        /// <summary>Two 3x3 convolutions keeping 8 channels.</summary>
        [Block]
        [Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d]
        public sealed partial record Basic8;

        /// <summary>Two 3x3 convolutions, the first halving the size to 16 channels.</summary>
        [Block]
        [Conv2d(16, Kernel = 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d]
        public sealed partial record Down16;

        /// <summary>The projection shortcut: a 1x1 stride-2 convolution to 16 channels.</summary>
        [Block]
        [Conv2d(16, Kernel = 1, Stride = 2), BatchNorm2d]
        public sealed partial record Project16;

        /// <summary>conv, then res1 (identity shortcut) and res2 (projection shortcut), each followed by a ReLU the addition applies.</summary>
        [Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
        [Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, ReLU]
        [Residual<Basic8>, ReLU]
        [Residual<Down16, Project16>, ReLU]
        [GlobalAvgPool2d, Flatten, Linear(16, 10)]
        public sealed partial record SmallResNet;
        """;

    /// <summary>Inception-style branches joined along the channels, one of them a nested residual unit.</summary>
    public const string Branches = """
        using ConvGen;

        namespace Networks;

        /// <summary>A 1x1 convolution.</summary>
        [Block]
        [Conv2d(4, Kernel = 1)]
        public sealed partial record Narrow;

        /// <summary>A 3x3 convolution and a ReLU.</summary>
        [Block]
        [Conv2d(4, Kernel = 3, Padding = 1), ReLU]
        public sealed partial record Wide;

        /// <summary>A 1x1 convolution, then a residual unit.</summary>
        [Block]
        [Conv2d(6, Kernel = 1), Residual<Wide6>]
        public sealed partial record Deep;

        /// <summary>A 3x3 convolution keeping 6 channels and a tanh.</summary>
        [Block]
        [Conv2d(6, Kernel = 3, Padding = 1), Tanh]
        public sealed partial record Wide6;

        /// <summary>Three branches on one input, 4 + 4 + 6 channels, then a linear layer.</summary>
        [Network(InputChannels = 2, InputHeight = 6, InputWidth = 6)]
        [Concat<Narrow, Wide, Deep>, MaxPool2d(2), Flatten, Linear(126, 3)]
        public sealed partial record BranchNet;
        """;
}
