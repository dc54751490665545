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
}
