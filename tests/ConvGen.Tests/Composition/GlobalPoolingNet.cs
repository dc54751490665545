namespace ConvGen.Tests.Composition;

/// <summary>
/// The generated twin for the layers no other test network combines: batch norm with its own momentum, average pooling
/// without the padding in its divisor, global average pooling and a closing log-softmax.
/// </summary>
[Network(InputChannels = 2, InputHeight = 7, InputWidth = 7)]
[Conv2d(4, Kernel = 3, Padding = 1), BatchNorm2d(Momentum = 0.2), LeakyReLU]
[AvgPool2d(3, Stride = 2, Padding = 1, CountIncludePad = false), Conv2d(5, Kernel = 2), GlobalAvgPool2d]
[Flatten, Linear(5, 3), LogSoftmax]
public sealed partial record GlobalPoolingNet;
