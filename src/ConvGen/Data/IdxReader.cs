using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.IO.Compression;
using ConvGen.IO;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>The content of one IDX file: its dimensions and its unsigned bytes, row-major.</summary>
public sealed class IdxArray
{
    private readonly byte[] values;

    internal IdxArray(ImmutableArray<int> dimensions, byte[] values)
    {
        Dimensions = dimensions;
        this.values = values;
    }

    /// <summary>The sizes the header declares: <c>(N, H, W)</c> for images, <c>(N)</c> for labels.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>All values, row-major; exactly the product of <see cref="Dimensions"/> of them.</summary>
    public ReadOnlySpan<byte> Values => values;
}

/// <summary>
/// Reads IDX files (the MNIST format), raw or gzipped: a big-endian magic <c>0x0000TTRR</c> (element type, rank), one
/// big-endian int32 per dimension, then exactly that many values. Any deviation is an error naming the file; nothing
/// is returned half-loaded.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    // The largest array .NET allocates; a header declaring more is corrupt or not meant for this reader.
    private const long MaximumValues = 0x7FFFFFC7;

    /// <summary>An images file: magic <c>0x00000803</c>, dimensions <c>(N, H, W)</c>.</summary>
    public static Either<ConvGenError, IdxArray> ReadImages(string path) => Read(path, rank: 3, "images");

    /// <summary>A labels file: magic <c>0x00000801</c>, dimensions <c>(N)</c>.</summary>
    public static Either<ConvGenError, IdxArray> ReadLabels(string path) => Read(path, rank: 1, "labels");

    /// <summary>
    /// <paramref name="stream"/> itself, or a decompressing view of it when it starts with the gzip magic bytes
    /// <c>1f 8b</c>. The stream must be seekable; the check reads two bytes and seeks back.
    /// </summary>
    internal static Stream OpenDecompressed(Stream stream)
    {
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    private static Either<ConvGenError, IdxArray> Read(string path, int rank, string kind)
    {
        try
        {
            using FileStream file = File.OpenRead(path);
            using Stream content = OpenDecompressed(file);
            return Parse(content, path, rank, kind);
        }
        catch (InvalidDataException exception)
        {
            return Left<ConvGenError, IdxArray>(new ConvGenError($"{path}: not a valid gzip stream ({exception.Message})"));
        }
        catch (Exception exception) when (FileErrors.IsFileProblem(exception))
        {
            return Left<ConvGenError, IdxArray>(FileErrors.Reading(path, exception));
        }
    }

    private static Either<ConvGenError, IdxArray> Parse(Stream content, string source, int rank, string kind)
    {
        ConvGenError Error(string what) => new($"{source}: {what}");
        int expectedMagic = (UnsignedByteType << 8) | rank;

        Span<byte> magicBytes = stackalloc byte[4];
        int magicRead = content.ReadAtLeast(magicBytes, magicBytes.Length, throwOnEndOfStream: false);
        if (magicRead < magicBytes.Length)
        {
            return Error($"ends after {magicRead} bytes, inside the 4-byte IDX magic number.");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if ((magic >>> 16) != 0 || magicBytes[2] != UnsignedByteType)
        {
            return Error($"the magic number is 0x{magic:X8} but IDX {kind} of unsigned bytes start with 0x{expectedMagic:X8}.");
        }

        if (magicBytes[3] != rank)
        {
            return Error($"declares rank {magicBytes[3]} (magic 0x{magic:X8}) but IDX {kind} have rank {rank} (magic 0x{expectedMagic:X8}).");
        }

        byte[] header = new byte[4 * rank];
        int headerRead = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (headerRead < header.Length)
        {
            return Error($"ends inside the IDX header: {rank} dimensions need {header.Length} bytes after the magic number but only {headerRead} follow.");
        }

        var dimensions = ImmutableArray.CreateBuilder<int>(rank);
        long valueCount = 1;
        for (int axis = 0; axis < rank; axis++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * axis));
            if (size < 1)
            {
                return Error($"dimension {axis} is {size}; every dimension must be positive.");
            }

            dimensions.Add(size);
            valueCount = Math.Min(valueCount * size, MaximumValues + 1);
        }

        string shape = string.Join(" x ", dimensions);
        if (valueCount > MaximumValues)
        {
            return Error($"the dimensions {shape} describe more values than one array can hold ({Count(MaximumValues)}).");
        }

        // Allocated from the declared size only after the checks above, so a corrupt header cannot ask for more.
        byte[] values = new byte[valueCount];
        int valuesRead = content.ReadAtLeast(values, values.Length, throwOnEndOfStream: false);
        if (valuesRead < values.Length)
        {
            return Error($"truncated: the header declares {shape} = {Count(values.Length)} bytes of data but only {Count(valuesRead)} follow.");
        }

        long extra = CountRemaining(content);
        if (extra > 0)
        {
            return Error($"{Count(extra)} bytes follow the {Count(values.Length)} that the header declares ({shape}).");
        }

        return new IdxArray(dimensions.MoveToImmutable(), values);
    }

    private static long CountRemaining(Stream content)
    {
        byte[] buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
