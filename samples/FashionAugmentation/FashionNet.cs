namespace ConvGen.Samples.FashionAugmentation;

/// <summary>A small CNN for 28x28 Fashion-MNIST: two padded 3x3 convolutions with pooling, then two linear layers.</summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(16, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Linear(1568, 64), ReLU, Linear(64, 10)]
public sealed partial record FashionNet;
