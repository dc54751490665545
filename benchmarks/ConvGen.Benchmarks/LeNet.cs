namespace ConvGen.Benchmarks;

/// <summary>
/// LeNet-5 as d2l.ai writes it: sigmoid activations and 2x2 average pooling, 61.7 k parameters. Small layers, so the
/// time goes to per-layer overhead and element-wise work rather than to GEMMs.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(6, Kernel = 5, Padding = 2), Sigmoid, AvgPool2d(2, Stride = 2)]
[Conv2d(16, Kernel = 5), Sigmoid, AvgPool2d(2, Stride = 2)]
[Flatten, Linear(400, 120), Sigmoid, Linear(120, 84), Sigmoid, Linear(84, 10)]
public sealed partial record LeNet;
