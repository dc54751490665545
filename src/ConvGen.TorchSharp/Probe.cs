namespace ConvGen.TorchSharp;

/// <summary>x</summary>
public static class Probe
{
}
