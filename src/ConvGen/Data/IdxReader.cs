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
    /// <c>1f 8b</c>. A seekable stream is looked at and rewound; the first bytes of one that cannot seek (a pipe) are
    /// handed on ahead of the rest.
    /// </summary>
    internal static Stream OpenDecompressed(Stream stream) => OpenDecompressed(stream, out _);

    private static Stream OpenDecompressed(Stream stream, out bool gzipped)
    {
        long start = stream.CanSeek ? stream.Position : 0;
        byte[] magic = new byte[2];
        int read = stream.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        Stream whole;
        if (stream.CanSeek)
        {
            stream.Position = start;
            whole = stream;
        }
        else
        {
            whole = new PrefixedStream(magic[..read], stream);
        }

        gzipped = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzipped ? new GZipStream(whole, CompressionMode.Decompress) : whole;
    }

    private static Either<ConvGenError, IdxArray> Read(string path, int rank, string kind)
    {
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return Left<ConvGenError, IdxArray>(badPath);
        }

        try
        {
            using FileStream file = File.OpenRead(path);
            // A regular file says up front how much content it has: its length, or a gzip trailer's count.
            ContentSize? size = file.CanSeek ? ContentSize.Of(file) : null;
            using Stream content = OpenDecompressed(file, out bool gzipped);
            return Parse(content, path, rank, kind, gzipped ? size?.Gzipped : size?.Raw, gzipped);
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

    /// <summary>
    /// The bytes a seekable file holds (<see cref="Raw"/>) and, if it is a gzip file, the content size its trailer
    /// records. The trailer can lie; when it agrees with the header, the memory check still bounds what is allocated,
    /// and an allocation the data never fills stays untouched (not resident), while zlib refuses the lie at the end (<see cref="Gzipped"/>: ISIZE, the size modulo 2^32 of the last member, exact for a single member under 4 GiB).
    /// </summary>
    private sealed record ContentSize(long Raw, long? Gzipped)
    {
        // A gzip member is at least a 10-byte header, an empty deflate block and an 8-byte trailer.
        private const int SmallestGzip = 20;

        public static ContentSize Of(FileStream file)
        {
            long length = file.Length;
            if (length < SmallestGzip)
            {
                return new ContentSize(length, null);
            }

            Span<byte> trailer = stackalloc byte[4];
            file.Position = length - trailer.Length;
            file.ReadExactly(trailer);
            file.Position = 0;
            return new ContentSize(length, BinaryPrimitives.ReadUInt32LittleEndian(trailer));
        }
    }

    private static Either<ConvGenError, IdxArray> Parse(Stream content, string source, int rank, string kind, long? contentSize, bool gzipped)
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

        // Nothing is allocated from the declared size until the file's own size agrees with it.
        long headerBytes = magicBytes.Length + header.Length;
        if (contentSize is long known && known - headerBytes != valueCount)
        {
            return Error(gzipped
                ? $"the gzip trailer records {Count(known)} bytes of content but the header declares {shape} = {Count(valueCount)} bytes after its {headerBytes}-byte header: " +
                    "the content is cut short, or bytes follow the gzip member."
                : known - headerBytes < valueCount
                    ? $"truncated: the header declares {shape} = {Count(valueCount)} bytes of data but only {Count(known - headerBytes)} follow."
                    : $"{Count(known - headerBytes - valueCount)} bytes follow the {Count(valueCount)} that the header declares ({shape}).");
        }

        long available = RunMemory.AvailableBytes(collect: false);
        if (valueCount > available)
        {
            return Error($"the header declares {shape} = {Count(valueCount)} bytes of data, more than the {Count(available)} bytes this process may still use.");
        }

        // A pipe's size is unknown: its bytes are taken in chunks as they arrive, so a header that lies costs only what was sent.
        (byte[] values, long valuesRead) = contentSize is null ? BoundedRead.InChunks(content, valueCount) : BoundedRead.AtMost(content, valueCount);
        if (valuesRead < valueCount)
        {
            return Error($"truncated: the header declares {shape} = {Count(valueCount)} bytes of data but only {Count(valuesRead)} follow.");
        }

        if (content.ReadByte() >= 0)
        {
            return Error($"more bytes follow the {Count(valueCount)} that the header declares ({shape}).");
        }

        return new IdxArray(dimensions.MoveToImmutable(), values);
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
