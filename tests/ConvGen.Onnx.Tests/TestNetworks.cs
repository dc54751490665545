namespace ConvGen.Onnx.Tests;

// The generated networks of tests/ConvGen.Tests (TestNetworks.cs, GlobalPoolingNet.cs, AveragePoolingWithoutPaddingTests.cs),
// copied: together they hold every layer kind and option the generator accepts.

/// <summary>A small network with every layer kind.</summary>
[Network(InputChannels = 2, InputHeight = 7, InputWidth = 6)]
[Conv2d(3, Kernel = 3, Padding = 1, Stride = 2), ReLU, AvgPool2d(2, Stride = 1)]
[Conv2d(4, Kernel = 2, Bias = false), ReLU, MaxPool2d(2, Padding = 1)]
[Flatten, Linear(8, 5), ReLU, Dropout(0.3), Linear(5, 3)]
public sealed partial record EveryLayerNet;

/// <summary>Per-axis kernel and stride, dilation, groups, "same" with an even kernel, "valid", ceil mode, adaptive pooling.</summary>
[Network(InputChannels = 2, InputHeight = 9, InputWidth = 8)]
[Conv2d(4, KernelHeight = 3, KernelWidth = 2, PaddingMode = "same"), ReLU]
[Conv2d(4, Kernel = 3, Dilation = 2, Groups = 2, PaddingHeight = 1), ReLU, MaxPool2d(2, CeilMode = true)]
[Conv2d(6, Kernel = 2, StrideWidth = 2, PaddingMode = "valid", Groups = 2), AvgPool2d(KernelHeight = 2, KernelWidth = 1, CeilMode = true)]
[AdaptiveAvgPool2d(2, 3), Flatten, Linear(36, 3)]
public sealed partial record EveryOptionNet;

/// <summary>The smooth and leaky activations between parametric layers, a negative slope included.</summary>
[Network(InputChannels = 2, InputHeight = 6, InputWidth = 6)]
[Conv2d(3, Kernel = 3), Tanh, Conv2d(4, Kernel = 2, Stride = 2), LeakyReLU(NegativeSlope = -0.2)]
[Flatten, Linear(16, 6), Sigmoid, Linear(6, 3), LeakyReLU]
public sealed partial record ActivationNet;

/// <summary>Conv1d with stride, padding, dilation, groups and "same" with an even kernel; softmax at each position; LogSoftmax last.</summary>
[Network(InputChannels = 2, InputLength = 20)]
[Conv1d(4, Kernel = 3, Stride = 2, Padding = 1), ReLU]
[Conv1d(4, Kernel = 3, Dilation = 2, Groups = 2, PaddingMode = "same"), Tanh]
[Conv1d(6, Kernel = 2, PaddingMode = "same", Bias = false), Softmax]
[Flatten, Linear(60, 5), ReLU, Dropout(0.2), Linear(5, 3), LogSoftmax]
public sealed partial record SequenceNet;

/// <summary>Softmax and log-softmax over the channels of C x H x W planes, and over flat features.</summary>
[Network(InputChannels = 2, InputHeight = 5, InputWidth = 5)]
[Conv2d(3, Kernel = 2), Softmax, Conv2d(4, Kernel = 2, Stride = 2), LogSoftmax]
[Flatten, Linear(16, 4), Softmax, Linear(4, 3), LogSoftmax]
public sealed partial record SoftmaxNet;

/// <summary>Batch norm with inferred and declared features, its own eps and momentum, and on 1x1 planes.</summary>
[Network(InputChannels = 2, InputHeight = 6, InputWidth = 6)]
[Conv2d(4, Kernel = 3), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(6, Kernel = 2, Bias = false), BatchNorm2d(6, Eps = 1e-3, Momentum = 0.3), ReLU]
[Flatten, Linear(6, 3)]
public sealed partial record BatchNormNet;

/// <summary>Batch norm first, named, and between smooth layers.</summary>
[Network(InputChannels = 2, InputHeight = 5, InputWidth = 5)]
[BatchNorm2d(Name = "bn0"), Conv2d(3, Kernel = 2), BatchNorm2d, Tanh, AvgPool2d(2)]
[Conv2d(4, Kernel = 2), BatchNorm2d(Momentum = 0.5), Sigmoid, Flatten, Linear(4, 3)]
public sealed partial record SmoothBatchNormNet;

/// <summary>LeNet-5 as d2l.ai writes it: sigmoids and 2x2 average pooling.</summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(6, Kernel = 5, Padding = 2), Sigmoid, AvgPool2d(2, Stride = 2)]
[Conv2d(16, Kernel = 5), Sigmoid, AvgPool2d(2, Stride = 2)]
[Flatten, Linear(400, 120), Sigmoid, Linear(120, 84), Sigmoid, Linear(84, 10)]
public sealed partial record LeNet5;

/// <summary>Batch norm with its own momentum, average pooling without the padding in its divisor, global pooling, log-softmax.</summary>
[Network(InputChannels = 2, InputHeight = 7, InputWidth = 7)]
[Conv2d(4, Kernel = 3, Padding = 1), BatchNorm2d(Momentum = 0.2), LeakyReLU]
[AvgPool2d(3, Stride = 2, Padding = 1, CountIncludePad = false), Conv2d(5, Kernel = 2), GlobalAvgPool2d]
[Flatten, Linear(5, 3), LogSoftmax]
public sealed partial record GlobalPoolingNet;

/// <summary>Average pooling without the padding in the divisor, in ceil mode, between two layers with parameters.</summary>
[Network(InputChannels = 1, InputHeight = 6, InputWidth = 6)]
[Conv2d(3, Kernel = 3, Padding = 1), AvgPool2d(3, Stride = 2, Padding = 1, CeilMode = true, CountIncludePad = false)]
[Flatten, Linear(48, 3)]
public sealed partial record BorderAverageLinearNet;
