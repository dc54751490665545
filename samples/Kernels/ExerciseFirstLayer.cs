namespace ConvGen.Samples.Kernels;

/// <summary>
/// <see cref="ExerciseNet"/>'s first layer on its own, declared the same way: its output is the 16 feature maps
/// conv1 makes of an image. Its parameters, <c>conv1.weight</c> and <c>conv1.bias</c>, are the first two tensors of
/// ExerciseNet, so a trained ExerciseNet lends them (<see cref="FeatureMaps"/>); the layout check refuses them if
/// the two declarations ever drift apart.
/// </summary>
[Network(InputChannels = 1, InputHeight = 28, InputWidth = 28)]
[Conv2d(16, Kernel = 5)]
public sealed partial record ExerciseFirstLayer;
