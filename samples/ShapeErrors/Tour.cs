// Each network below carries one mistake; the comment above it names the diagnostic the build reports, on the
// argument at fault, with the derivation that proves it. Fix the argument and the diagnostic goes away.
namespace ConvGen.Samples.ShapeErrors;

// The notebooks' classic: a hand-computed Linear after a stack of convolutions. 28 -> 14 -> 10, so 100 flows in.
// expect: CG0001
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(1, Kernel = 15), ReLU, Conv2d(1, Kernel = 5), ReLU, Flatten, Linear(400, 10)]
public sealed partial record WrongLinear;

// A 9x9 kernel cannot slide over an 8x8 image without padding.
// expect: CG0002
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(4, Kernel = 9), Flatten, Linear(4, 10)]
public sealed partial record KernelTooLarge;

// A stride of zero never moves.
// expect: CG0003
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(4, Kernel = 3, Stride = 0), Flatten, Linear(144, 10)]
public sealed partial record ZeroStride;

// A Linear layer needs a flat input: Flatten first.
// expect: CG0005
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(4, Kernel = 3), Linear(144, 10)]
public sealed partial record MissingFlatten;

// Stride 2 over 28 rows with a 5x5 kernel stops one row short of the edge: a warning, the code still generates.
// expect: CG0007
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(4, Kernel = 5, Stride = 2), Flatten, Linear(576, 10)]
public sealed partial record StrideDropsRows;

// In-channels declared, and wrong: the first convolution makes 32 channels.
// expect: CG0008
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(32, Kernel = 5, Padding = 2), Conv2d(64, Kernel = 5, Padding = 2, InChannels = 16), Flatten, Linear(50176, 10)]
public sealed partial record WrongInChannels;

// Dropout's p is a probability of dropping, below 1.
// expect: CG0009
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Flatten, Dropout(1.5), Linear(64, 10)]
public sealed partial record DropoutTooLarge;

// PyTorch refuses pooling padding above half the kernel.
// expect: CG0010
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[MaxPool2d(2, Padding = 2), Flatten, Linear(100, 10)]
public sealed partial record PoolingPaddingTooLarge;

// Groups must divide the channels: 3 input channels cannot split into 2 groups.
// expect: CG0016
[Network(InputChannels = 3, InputHeight = 8, InputWidth = 8)]
[Conv2d(4, Kernel = 3, Groups = 2), Flatten, Linear(144, 10)]
public sealed partial record GroupsDoNotDivide;
