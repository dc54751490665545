namespace ConvGen.Kernels;

/// <summary>The calls of one kernel on one shape during a <see cref="KernelProfiler.Record"/>.</summary>
/// <param name="Kernel">The kernel, e.g. <c>Convolution.Forward</c>.</param>
/// <param name="Shape">What it ran on, e.g. <c>64 x 16x28x28 -> 16x28x28, kernel 3x3, stride 1x1</c>.</param>
/// <param name="Calls">How many times it ran.</param>
/// <param name="Total">Their time together.</param>
public sealed record KernelProfileEntry(string Kernel, string Shape, int Calls, TimeSpan Total);
