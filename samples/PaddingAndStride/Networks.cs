namespace ConvGen.Samples.PaddingAndStride;

/// <summary>The baseline: two unpadded convolutions take 28x28 to 14x14 and then 10x10.</summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(1, Kernel = 15), ReLU, Conv2d(1, Kernel = 5), ReLU, Flatten, Linear(100, 10)]
public sealed partial record BasicConvNet;

/// <summary>Padding 1 on both convolutions: 28 + 2 - 14 + 1 = 17, then 17 + 2 - 10 + 1 = 10.</summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(1, Kernel = 14, Padding = 1), ReLU, Conv2d(1, Kernel = 10, Padding = 1), ReLU, Flatten, Linear(100, 10)]
public sealed partial record ConvNetPadding;

/// <summary>
/// Padding 2 and a third convolution. The notebook's comment says the first layer reduces to 20x20; the compiler
/// says 19x19 (28 + 4 - 14 + 1), and the summary shows it.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(1, Kernel = 14, Padding = 2), ReLU, Conv2d(1, Kernel = 10, Padding = 2), ReLU, Conv2d(1, Kernel = 9, Padding = 2), ReLU]
[Flatten, Linear(100, 10)]
public sealed partial record ConvNetDeeperPadding;

/// <summary>Padding 2 with a final stride of 2: 19x19, 16x16, then (16 + 4 - 5) / 2 + 1 = 8.</summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(1, Kernel = 14, Padding = 2), ReLU, Conv2d(1, Kernel = 8, Padding = 2), ReLU, Conv2d(1, Kernel = 5, Padding = 2, Stride = 2), ReLU]
[Flatten, Linear(64, 10)]
public sealed partial record ConvNetPaddingStride;
