namespace ConvGen.Tests;

/// <summary>A small network with every layer kind, for end-to-end gradient and training tests.</summary>
[Network(InputChannels = 2, InputHeight = 7, InputWidth = 6)]
[Conv2d(3, Kernel = 3, Padding = 1, Stride = 2), ReLU, AvgPool2d(2, Stride = 1)]
[Conv2d(4, Kernel = 2, Bias = false), ReLU, MaxPool2d(2, Padding = 1)]
[Flatten, Linear(8, 5), ReLU, Dropout(0.3), Linear(5, 3)]
public sealed partial record EveryLayerNet;

/// <summary>The digits sample's input shape with the smallest useful network, for fast training tests.</summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(4, Kernel = 3), ReLU, MaxPool2d(2)]
[Flatten, Linear(36, 10)]
public sealed partial record TinyDigitsNet;
