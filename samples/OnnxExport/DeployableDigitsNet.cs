namespace ConvGen.Samples.OnnxDeployment;

/// <summary>
/// The digits sample's network with a batch norm and an adaptive pool whose 3x3 output does not divide its 4x4 input,
/// so the exported graph shows batch norm in inference form and adaptive averaging as two constant MatMuls.
/// </summary>
[Network(InputChannels = 1, InputHeight = 8, InputWidth = 8)]
[Conv2d(16, Kernel = 3, Padding = 1), BatchNorm2d, ReLU, MaxPool2d(2)]
[Conv2d(32, Kernel = 3, Padding = 1), ReLU, AdaptiveAvgPool2d(3)]
[Flatten, Linear(288, 64), ReLU, Dropout(0.25), Linear(64, 10)]
public sealed partial record DeployableDigitsNet;
