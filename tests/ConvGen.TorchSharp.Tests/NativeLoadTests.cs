namespace ConvGen.TorchSharp.Tests;

public sealed class NativeLoadTests
{
    [Fact]
    public void Probe() => Assert.Equal(3f, global::TorchSharp.torch.tensor(new float[] { 1, 2 }).sum().item<float>());
}
