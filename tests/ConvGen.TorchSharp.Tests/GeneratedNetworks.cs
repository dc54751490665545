namespace ConvGen.TorchSharp.Tests;

/// <summary>A generated network for the digits, to train through <c>INetwork</c> as users declare them; with dropout for the statistical test.</summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(8, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Linear(128, 32), ReLU, Dropout(0.25), Linear(32, 10)]
public sealed partial record DigitsDropoutNet;

/// <summary>The same without dropout, whose torch and managed runs see the same batches and so track each other closely.</summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(8, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Linear(128, 32), ReLU, Linear(32, 10)]
public sealed partial record DigitsNet;
