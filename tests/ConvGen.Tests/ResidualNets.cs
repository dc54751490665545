namespace ConvGen.Tests;

/// <summary>Two 3x3 convolutions with batch norms keeping 8 channels: a residual unit's main branch.</summary>
[Block]
[Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d]
public sealed partial record Basic8;

/// <summary>Two 3x3 convolutions with batch norms, the first halving the size, to 16 channels.</summary>
[Block]
[Conv2d(16, Kernel = 3, Stride = 2, Padding = 1), BatchNorm2d, ReLU, Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d]
public sealed partial record Down16;

/// <summary>The projection shortcut to <see cref="Down16"/>'s shape: a 1x1 stride-2 convolution and a batch norm.</summary>
[Block]
[Conv2d(16, Kernel = 1, Stride = 2), BatchNorm2d]
public sealed partial record Project16;

/// <summary>A 1x1 convolution to 4 channels: a concatenation's first branch.</summary>
[Block]
[Conv2d(4, Kernel = 1)]
public sealed partial record Narrow4;

/// <summary>A 3x3 convolution to 4 channels and a ReLU: a concatenation's second branch.</summary>
[Block]
[Conv2d(4, Kernel = 3, Padding = 1), ReLU]
public sealed partial record Wide4;

/// <summary>
/// tools/fixtures/make_residual_fixtures.py's <c>ResidualNet</c>: an identity residual unit, a stride-2 unit with a
/// projection shortcut, and two branches concatenated along the channels, with BatchNorm throughout.
/// </summary>
[Network(InputChannels = 4, InputHeight = 6, InputWidth = 6)]
[Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, ReLU]
[Residual<Basic8>, ReLU]
[Residual<Down16, Project16>, ReLU]
[Concat<Narrow4, Wide4>]
[GlobalAvgPool2d, Flatten, Linear(8, 5)]
public sealed partial record ResidualNet;

/// <summary>
/// <see cref="ResidualNet"/> behind a 1x1 bias-free convolution <c>stem</c> that reads one-hot inputs of
/// <see cref="ResidualProbe.InputChannels"/> = batch x 6 x 6 channels. With the stem's weight set to a batch of
/// <see cref="ResidualNet"/>'s inputs, the stem writes exactly that batch, and its weight gradient is exactly the gradient
/// of <see cref="ResidualNet"/>'s input: the generated backward pass itself yields the input gradient PyTorch reports.
/// </summary>
[Network(InputChannels = 72, InputHeight = 6, InputWidth = 6)]
[Conv2d(4, Kernel = 1, Bias = false, Name = "stem")]
[Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, ReLU]
[Residual<Basic8>, ReLU]
[Residual<Down16, Project16>, ReLU]
[Concat<Narrow4, Wide4>]
[GlobalAvgPool2d, Flatten, Linear(8, 5)]
public sealed partial record ResidualProbe;

/// <summary><see cref="Basic8"/> with a tanh for the ReLU: smooth, for central differences.</summary>
[Block]
[Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, Tanh, Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d]
public sealed partial record SmoothBasic8;

/// <summary><see cref="Down16"/> with a tanh for the ReLU.</summary>
[Block]
[Conv2d(16, Kernel = 3, Stride = 2, Padding = 1), BatchNorm2d, Tanh, Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d]
public sealed partial record SmoothDown16;

/// <summary><see cref="Wide4"/> with a tanh for the ReLU.</summary>
[Block]
[Conv2d(4, Kernel = 3, Padding = 1), Tanh]
public sealed partial record SmoothWide4;

/// <summary>
/// <see cref="ResidualNet"/>'s graph with tanh for every ReLU, so that central differences cross no kink: sums of
/// branches, a value read by two branches, a projection shortcut with stride 2 and a concatenation's split gradient.
/// </summary>
[Network(InputChannels = 4, InputHeight = 6, InputWidth = 6)]
[Conv2d(8, Kernel = 3, Padding = 1), BatchNorm2d, Tanh]
[Residual<SmoothBasic8>, Tanh]
[Residual<SmoothDown16, Project16>, Tanh]
[Concat<Narrow4, SmoothWide4>]
[GlobalAvgPool2d, Flatten, Linear(8, 5)]
public sealed partial record SmoothResidualNet;

/// <summary>A 3x3 convolution keeping 4 channels, then a tanh: as a residual branch, its backward pass changes in place the gradient the shortcut holds too.</summary>
[Block]
[Conv2d(4, Kernel = 3, Padding = 1), Tanh]
public sealed partial record TanhTail4;

/// <summary>A residual unit and nothing else: as another unit's branch, both shortcuts hand the same gradient to the same value.</summary>
[Block]
[Residual<TanhTail4>]
public sealed partial record ResidualOnly4;

/// <summary>
/// Residual units whose branches end in an in-place backward pass, one nested in another, and a concatenation of such
/// branches: every way the gradient schedule must copy a gradient that another value still holds.
/// </summary>
[Network(InputChannels = 2, InputHeight = 5, InputWidth = 5)]
[Conv2d(4, Kernel = 3, Padding = 1), Tanh]
[Residual<TanhTail4>]
[Residual<ResidualOnly4>, Tanh]
[Concat<TanhTail4, ResidualOnly4>]
[GlobalAvgPool2d, Flatten, Linear(8, 3)]
public sealed partial record SharedGradientNet;
