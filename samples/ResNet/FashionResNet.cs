namespace ConvGen.Samples.ResNet;

/// <summary>Two 3x3 convolutions keeping 16 channels, each before a batch norm: the first stage's residual branch.</summary>
[Block]
[Conv2d(16, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d, ReLU, Conv2d(16, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d]
public sealed partial record Basic16;

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
/// A small ResNet for 28x28 greyscale images: a stem, one unit per stage (28x28 with 16 channels, 14x14 with 32, 7x7
/// with 64; the last two halve the size and project their shortcut), global average pooling and one linear layer.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(16, Kernel = 3, Padding = 1, Bias = false), BatchNorm2d, ReLU]
[Residual<Basic16>, ReLU]
[Residual<Down32, Project32>, ReLU]
[Residual<Down64, Project64>, ReLU]
[GlobalAvgPool2d, Flatten, Linear(64, 10)]
public sealed partial record FashionResNet;
