namespace ConvGen.Tests.CheckpointWriter;

/// <summary>One 4096 x 4096 linear layer: 16.8 million parameters, a 64 MiB checkpoint that takes a while to write.</summary>
[Network(InputChannels = 1, InputHeight = 64, InputWidth = 64)]
[Flatten, Linear(4096, 4096)]
public sealed partial record LargeNet;
