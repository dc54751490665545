namespace ConvGen.Samples.ResNet;

/// <summary>Two 3x3 convolutions keeping 16 channels, each before a batch norm: the residual branch of both first-stage units.</summary>
[Block]
[Conv2d(16, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(16, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d]
public sealed partial record Basic16;

/// <summary>Two 3x3 convolutions keeping 32 channels: the second stage's second unit.</summary>
[Block]
[Conv2d(32, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(32, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d]
public sealed partial record Basic32;

/// <summary>Two 3x3 convolutions keeping 64 channels: the third stage's second unit.</summary>
[Block]
[Conv2d(64, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(64, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d]
public sealed partial record Basic64;

/// <summary>Two 3x3 convolutions, the first halving the size, to 32 channels.</summary>
[Block]
[Conv2d(32, Kernel = 3, Stride = 2, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(32, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d]
public sealed partial record Down32;

/// <summary>The projection shortcut beside <see cref="Down32"/>: a 1x1 stride-2 convolution and a batch norm.</summary>
[Block]
[Conv2d(32, Kernel = 1, Stride = 2, Bias = false), BatchNorm2d]
public sealed partial record Project32;

/// <summary>Two 3x3 convolutions, the first halving the size, to 64 channels.</summary>
[Block]
[Conv2d(64, Kernel = 3, Stride = 2, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(64, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d]
public sealed partial record Down64;

/// <summary>The projection shortcut beside <see cref="Down64"/>.</summary>
[Block]
[Conv2d(64, Kernel = 1, Stride = 2, Bias = false), BatchNorm2d]
public sealed partial record Project64;

/// <summary>
/// A small ResNet for 28x28 greyscale images: a stem, two units per stage (28x28 with 16 channels, 14x14 with 32, 7x7
/// with 64; the first unit of the last two stages halves the size and projects its shortcut, the others add the
/// identity), global average pooling and one linear layer: fourteen layers with weights, as the CIFAR ResNets count them.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(16, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d, ReLU]
[Residual<Basic16>, ReLU]
[Residual<Basic16>, ReLU]
[Residual<Down32, Project32>, ReLU]
[Residual<Basic32>, ReLU]
[Residual<Down64, Project64>, ReLU]
[Residual<Basic64>, ReLU]
[GlobalAvgPool2d, Flatten, Linear(64, 10)]
public sealed partial record FashionResNet;
