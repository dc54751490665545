namespace ConvGen.Benchmarks;

/// <summary>Notebook 002's network: the classic two-convolution MNIST CNN, 3.27 M parameters.</summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
[Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
[Flatten, Linear(3136, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]
public sealed partial record MnistNet;
