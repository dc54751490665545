namespace ConvGen.Samples.Digits;

/// <summary>
/// Two 3x3 convolutions with max pooling, then two linear layers: about 14,000 parameters, enough for 8x8 digits.
/// The generator checks every size below at compile time; hover the record to see its summary.
/// </summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(16, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Conv2d(32, Kernel = 3, Padding = 1), ReLU, MaxPool2d(2)]
[Flatten, Linear(128, 64), ReLU, Dropout(0.25), Linear(64, 10)]
public sealed partial record DigitsNet;
