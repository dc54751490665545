namespace ConvGen.Imaging;

/// <summary>An immutable 8-bit RGB picture, row-major, three bytes a pixel: what the PNG writer takes and the reader gives.</summary>
public sealed class RgbImage
{
    private readonly byte[] pixels;

    private RgbImage(int width, int height, byte[] pixels)
    {
        Width = width;
        Height = height;
        this.pixels = pixels;
    }

    /// <summary>Pixels across.</summary>
    public int Width { get; }

    /// <summary>Pixels down.</summary>
    public int Height { get; }

    /// <summary>R, G, B bytes of every pixel, row after row.</summary>
    public ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>The colour at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            int at = (y * Width + x) * 3;
            return (pixels[at], pixels[at + 1], pixels[at + 2]);
        }
    }

    /// <summary>A picture whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is below 1 or the picture is absurdly large.</exception>
    public static RgbImage Create(int width, int height, Func<int, int, (byte R, byte G, byte B)> color)
    {
        RequireSize(width, height);
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = color(x, y);
                int at = (y * width + x) * 3;
                pixels[at] = r;
                pixels[at + 1] = g;
                pixels[at + 2] = b;
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Takes ownership of <paramref name="pixels"/>, which must hold exactly width * height * 3 bytes.</summary>
    internal static RgbImage Own(int width, int height, byte[] pixels)
    {
        RequireSize(width, height);
        return pixels.Length == width * height * 3 ? new RgbImage(width, height, pixels) : throw new ArgumentException("Pixel count does not match the size.", nameof(pixels));
    }

    private static void RequireSize(int width, int height)
    {
        if (width < 1 || height < 1 || (long)width * height > 1 << 28)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A picture of {width}x{height} pixels is not supported.");
        }
    }
}
