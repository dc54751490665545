using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Imaging;

/// <summary>
/// A small PNG writer and reader over System.IO.Compression (no imaging package is needed): 8-bit RGB out;
/// 8-bit grey, grey+alpha, RGB and RGBA in, non-interlaced, every row filter — enough to compare pictures by pixels.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The PNG file for <paramref name="image"/>: one IDAT chunk, filter "none" on every row.</summary>
    public static byte[] Encode(RgbImage image)
    {
        int rowBytes = image.Width * 3;
        var raw = new byte[(rowBytes + 1) * image.Height];
        for (int y = 0; y < image.Height; y++)
        {
            image.Pixels.Slice(y * rowBytes, rowBytes).CopyTo(raw.AsSpan(y * (rowBytes + 1) + 1));
        }

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bits per channel
        header[9] = 2; // colour type: RGB
        var file = new MemoryStream();
        file.Write(Signature);
        WriteChunk(file, "IHDR", header);
        WriteChunk(file, "IDAT", compressed.ToArray());
        WriteChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> as PNG.</summary>
    public static void Save(RgbImage image, string path) => File.WriteAllBytes(path, Encode(image));

    /// <summary>Reads a PNG file's pixels as RGB (alpha dropped, grey spread to three channels); an error names what is unsupported or broken.</summary>
    public static Either<ConvGenError, RgbImage> Decode(ReadOnlySpan<byte> file, string source = "PNG")
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
        {
            return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: not a PNG file (bad signature)."));
        }

        int width = 0, height = 0, channels = 0;
        var data = new MemoryStream();
        for (int at = Signature.Length; at + 12 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file[at..]);
            string type = Encoding.ASCII.GetString(file.Slice(at + 4, 4));
            if (length < 0 || at + 12 + (long)length > file.Length)
            {
                return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: chunk {type} runs past the end of the file."));
            }

            ReadOnlySpan<byte> body = file.Slice(at + 8, length);
            if (BinaryPrimitives.ReadUInt32BigEndian(file[(at + 8 + length)..]) != Crc32(file.Slice(at + 4, length + 4)))
            {
                return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: chunk {type} fails its CRC check."));
            }

            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                channels = body[9] switch { 0 => 1, 4 => 2, 2 => 3, 6 => 4, _ => 0 };
                if (body[8] != 8 || channels == 0 || body[12] != 0)
                {
                    return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: only 8-bit grey, grey+alpha, RGB and RGBA non-interlaced PNGs are supported."));
                }
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }
            else if (type == "IEND")
            {
                return channels == 0
                    ? Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: no IHDR chunk."))
                    : Unfilter(data.ToArray(), width, height, channels, source);
            }

            at += 12 + length;
        }

        return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: truncated (no IEND chunk)."));
    }

    private static Either<ConvGenError, RgbImage> Unfilter(byte[] compressed, int width, int height, int channels, string source)
    {
        int stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            zlib.ReadExactly(raw);
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException)
        {
            return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: the image data is corrupt or short ({exception.Message})."));
        }

        var rows = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            Span<byte> row = rows.AsSpan(y * stride, stride);
            raw.AsSpan(y * (stride + 1) + 1, stride).CopyTo(row);
            ReadOnlySpan<byte> above = y == 0 ? new byte[stride] : rows.AsSpan((y - 1) * stride, stride);
            for (int i = 0; i < stride; i++)
            {
                int left = i >= channels ? row[i - channels] : 0, up = above[i], upLeft = i >= channels ? above[i - channels] : 0;
                row[i] += filter switch
                {
                    0 => 0,
                    1 => (byte)left,
                    2 => (byte)up,
                    3 => (byte)((left + up) / 2),
                    4 => (byte)Paeth(left, up, upLeft),
                    _ => 0,
                };
            }

            if (filter > 4)
            {
                return Left<ConvGenError, RgbImage>(new ConvGenError($"{source}: row {y} uses unknown filter {filter}."));
            }
        }

        var rgb = new byte[width * height * 3];
        for (int pixel = 0; pixel < width * height; pixel++)
        {
            for (int c = 0; c < 3; c++)
            {
                rgb[pixel * 3 + c] = rows[pixel * channels + (channels < 3 ? 0 : c)];
            }
        }

        return Right<ConvGenError, RgbImage>(RgbImage.Own(width, height, rgb));
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        int estimate = left + up - upLeft;
        int toLeft = Math.Abs(estimate - left), toUp = Math.Abs(estimate - up), toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }

    private static void WriteChunk(Stream file, string type, byte[] body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
        file.Write(word);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. body];
        file.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        file.Write(word);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    // The CRC-32 of PNG's specification (and zlib's), over a chunk's type and body.
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
