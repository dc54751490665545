namespace ConvGen.Samples.Mnist;

/// <summary>
/// Notebook 002's network: two 5x5 convolutions with 'same' padding and 2x2 max pooling take 28x28 to 64x7x7;
/// the notebook's hand-computed 3136 in-features are checked here by the compiler.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(32, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
[Conv2d(64, Kernel = 5, Padding = 2), ReLU, MaxPool2d(2)]
[Flatten, Linear(3136, 1024), ReLU, Dropout(0.5), Linear(1024, 10)]
public sealed partial record MnistNet;
