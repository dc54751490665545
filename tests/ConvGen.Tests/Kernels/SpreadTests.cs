using ConvGen.Kernels;

namespace ConvGen.Tests.Kernels;

/// <summary>
/// <see cref="Spread.Write"/> (zero padding and the strided spread of an input gradient) against the definition written
/// as loops: every buffer value is the sample's value that lands there or zero, whatever the buffer held before, and
/// nothing past the buffer is written.
/// </summary>
public sealed class SpreadTests
{
    [Theory]
    // Padding 1 around 16 channels of 28x28, 7x7 and 14x14: the ResNet sample's layers.
    [InlineData(16, 28, 28, 30, 30, 1, 1, 1, 1)]
    [InlineData(3, 7, 7, 9, 9, 1, 1, 1, 1)]
    [InlineData(2, 14, 14, 16, 16, 1, 1, 1, 1)]
    // No padding; a buffer narrower and shorter than the sample (values dropped); offsets before the buffer.
    [InlineData(2, 5, 6, 5, 6, 0, 0, 1, 1)]
    [InlineData(2, 9, 40, 6, 20, 1, 3, 1, 1)]
    [InlineData(3, 6, 7, 8, 9, -2, -3, 1, 1)]
    // Rows wider than two registers, padding 2; a buffer whose rows hold no values at all.
    [InlineData(2, 3, 37, 7, 41, 2, 2, 1, 1)]
    [InlineData(1, 4, 4, 3, 5, 3, 0, 1, 1)]
    [InlineData(1, 4, 4, 5, 3, 0, 3, 1, 1)]
    // Spacing 2 and 3: a strided convolution's input gradient.
    [InlineData(2, 4, 5, 11, 12, 1, 2, 2, 2)]
    [InlineData(1, 3, 3, 9, 10, 2, 1, 3, 2)]
    public unsafe void EveryBufferValueIsTheSampleValueThatLandsThereOrZero(
        int channels, int height, int width, int bufferHeight, int bufferWidth, int top, int left, int spacingY, int spacingX)
    {
        var spread = new Spread(channels, height, width, bufferHeight, bufferWidth, top, left, spacingY, spacingX);
        var random = new Random(spread.BufferSize);
        float[] sample = Enumerable.Range(0, spread.Channels * spread.Height * spread.Width).Select(_ => (float)random.NextDouble() + 1f).ToArray();
        float[] buffer = Enumerable.Repeat(float.NaN, spread.BufferSize + 32).ToArray();

        fixed (float* source = sample, target = buffer)
        {
            spread.Write(source, target);
        }

        for (int c = 0; c < spread.Channels; c++)
        {
            for (int row = 0; row < spread.BufferHeight; row++)
            {
                for (int column = 0; column < spread.BufferWidth; column++)
                {
                    float expected = 0f;
                    int y = row - spread.Top, x = column - spread.Left;
                    if (y >= 0 && x >= 0 && y % spread.SpacingY == 0 && x % spread.SpacingX == 0 && y / spread.SpacingY < spread.Height && x / spread.SpacingX < spread.Width)
                    {
                        expected = sample[(c * spread.Height + y / spread.SpacingY) * spread.Width + x / spread.SpacingX];
                    }

                    int index = c * spread.BufferPlane + row * spread.BufferWidth + column;
                    Assert.True(expected.Equals(buffer[index]), $"channel {c}, row {row}, column {column}: {buffer[index]}, expected {expected}");
                }
            }
        }

        Assert.All(buffer[spread.BufferSize..], value => Assert.True(float.IsNaN(value), "written past the buffer"));
    }
}
