namespace ConvGen.Samples.Kernels;

/// <summary>
/// Notebook 003's exercise: its first layer as written there (16 kernels of 5x5, no padding), then the layers the
/// exercise leaves to fill in, chosen so the output is 64x1x1 before a Linear to the 10 classes:
/// 28x28 -> conv1 24x24 -> pool1 12x12 -> conv2 8x8 -> pool2 1x1. The notebook lists the layers only; a ReLU after
/// each convolution is what makes them more than one linear map.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(16, Kernel = 5), ReLU, MaxPool2d(2)]
[Conv2d(64, Kernel = 5), ReLU, MaxPool2d(8)]
[Flatten, Linear(64, 10)]
public sealed partial record ExerciseNet;
