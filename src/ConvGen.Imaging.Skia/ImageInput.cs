using LanguageExt;
using SkiaSharp;
using static LanguageExt.Prelude;

namespace ConvGen.Imaging.Skia;

/// <summary>
/// Image files as network inputs: decoded by SkiaSharp (PNG of every colour type, bit depth and interlacing, JPEG,
/// WebP, GIF, BMP...), resized to the network's input, and normalised as the network was trained.
/// </summary>
public static class ImageInput
{
    // Linear filtering between mipmap levels: a faithful average when a photograph shrinks to 28x28, exact
    // interpolation between neighbours when a tiny image grows.
    private static readonly SKSamplingOptions Resampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    /// <summary>
    /// The image in <paramref name="path"/> as one <c>C x H x W</c> input (channel planes in order, rows top to bottom),
    /// or why it cannot be: a missing, unreadable, corrupt or unsupported file, or options that describe no input.
    /// Transparent pixels are laid over white first.
    /// </summary>
    public static Either<ConvGenError, float[]> Load(string path, ImageInputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return Left<ConvGenError, float[]>(new ConvGenError($"The path '{path}' cannot name an image file."));
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Left<ConvGenError, float[]>(new ConvGenError($"{path}: no such image file."));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Left<ConvGenError, float[]>(new ConvGenError($"{path}: cannot be read ({exception.Message})."));
        }

        return Decode(bytes, path, options);
    }

    /// <summary>As <see cref="Load"/>, for an image already in memory; <paramref name="source"/> names it in messages.</summary>
    public static Either<ConvGenError, float[]> Decode(ReadOnlySpan<byte> image, string source, ImageInputOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } badOptions)
        {
            return Left<ConvGenError, float[]>(badOptions);
        }

        using SKBitmap? decoded = DecodePixels(image, source, out ConvGenError? error);
        if (decoded is null)
        {
            return Left<ConvGenError, float[]>(error!);
        }

        if (decoded.Width == options.Width && decoded.Height == options.Height)
        {
            return Right<ConvGenError, float[]>(Normalise(decoded, options));
        }

        using var resized = new SKBitmap(new SKImageInfo(options.Width, options.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (!decoded.ScalePixels(resized, Resampling))
        {
            throw new InvalidOperationException($"SkiaSharp could not resize {decoded.Width}x{decoded.Height} RGBA to {options.Width}x{options.Height}.");
        }

        return Right<ConvGenError, float[]>(Normalise(resized, options));
    }

    // Straight (unpremultiplied) RGBA bytes in the file's own colour values: no colour-space conversion, so a pixel
    // written as 200 reads as 200. A 16-bit PNG keeps its high byte (SkiaSharp's float targets gave no more here).
    private static SKBitmap? DecodePixels(ReadOnlySpan<byte> image, string source, out ConvGenError? error)
    {
        using var stream = new MemoryStream(image.ToArray(), writable: false);
        using SKCodec? codec = SKCodec.Create(stream, out SKCodecResult opened);
        if (codec is null)
        {
            error = new ConvGenError(!LooksLikeKnownFormat(image)
                ? $"{source}: not an image format SkiaSharp can read (PNG, JPEG, WebP, GIF, BMP, ICO, WBMP)."
                : $"{source}: a corrupt or truncated image ({opened}).");
            return null;
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult read = codec.GetPixels(info, bitmap.GetPixels());
        if (read != SKCodecResult.Success)
        {
            bitmap.Dispose();
            error = new ConvGenError($"{source}: a corrupt or truncated {codec.EncodedFormat} image ({read}).");
            return null;
        }

        error = null;
        return bitmap;
    }

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47];

    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    // A known signature that Skia still refused is a damaged file; anything else is a format it does not read.
    private static bool LooksLikeKnownFormat(ReadOnlySpan<byte> image) =>
        image.StartsWith(PngSignature) || image.StartsWith(JpegSignature) || image.StartsWith("GIF8"u8)
        || image.StartsWith("BM"u8) || (image.Length >= 12 && image.StartsWith("RIFF"u8) && image[8..12].SequenceEqual("WEBP"u8));

    private static float[] Normalise(SKBitmap bitmap, ImageInputOptions options)
    {
        int plane = options.Height * options.Width;
        float[] input = new float[options.InputSize];
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < options.Height; y++)
        {
            for (int x = 0; x < options.Width; x++)
            {
                ReadOnlySpan<byte> pixel = rgba.Slice(y * rowBytes + x * 4, 4);
                float alpha = pixel[3] / 255f;
                // Over white: a transparent background reads as paper.
                float red = OverWhite(pixel[0], alpha), green = OverWhite(pixel[1], alpha), blue = OverWhite(pixel[2], alpha);
                int at = y * options.Width + x;
                if (options.Channels == 1)
                {
                    input[at] = Finish(0.299f * red + 0.587f * green + 0.114f * blue, 0, options);
                }
                else
                {
                    input[at] = Finish(red, 0, options);
                    input[plane + at] = Finish(green, 1, options);
                    input[2 * plane + at] = Finish(blue, 2, options);
                }
            }
        }

        return input;
    }

    private static float OverWhite(byte level, float alpha) => level / 255f * alpha + (1f - alpha);

    private static float Finish(float value, int channel, ImageInputOptions options) =>
        ((options.Invert ? 1f - value : value) - options.MeanOf(channel)) / options.StandardDeviationOf(channel);
}
