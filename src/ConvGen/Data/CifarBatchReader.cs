using System.Globalization;
using ConvGen.IO;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Data;

/// <summary>
/// Reads the records of one CIFAR binary batch (<c>data_batch_1.bin</c>, <c>test_batch.bin</c>): no header, only records of
/// one label byte and 3,072 pixel bytes (32x32 red, then green, then blue, each row-major). The size to read is the
/// file's length or a tar header's claim; it must be a whole, non-zero number of records that memory can hold, and is
/// checked before anything of that size is allocated. Every label must name a class.
/// </summary>
internal static class CifarBatchReader
{
    /// <summary>Pixel bytes per record: 3 channels of 32x32.</summary>
    public const int ImageBytes = 3 * 32 * 32;

    /// <summary>Bytes per record: the label byte, then the pixels.</summary>
    public const int RecordBytes = ImageBytes + 1;

    // The largest array .NET allocates.
    private const long MaximumBytes = 0x7FFFFFC7;

    /// <summary>The records of the batch file at <paramref name="path"/>.</summary>
    public static Either<ConvGenError, byte[]> ReadFile(string path, int classes)
    {
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return Left<ConvGenError, byte[]>(badPath);
        }

        try
        {
            using FileStream file = File.OpenRead(path);
            return file.CanSeek
                ? Read(file, path, file.Length, sizeIsTheFiles: true, classes)
                : Left<ConvGenError, byte[]>(new ConvGenError($"{path}: is not a regular file; CIFAR-10 batches are read from files, whose length says how many records they hold."));
        }
        catch (Exception exception) when (FileErrors.IsFileProblem(exception))
        {
            return Left<ConvGenError, byte[]>(FileErrors.Reading(path, exception));
        }
    }

    /// <summary>
    /// The <paramref name="size"/> bytes of records that <paramref name="content"/> holds. When the size is the file's own
    /// (<paramref name="sizeIsTheFiles"/>) they are read at once; a size only a header claims is read in chunks, so a claim
    /// the data does not back costs only the bytes that arrive.
    /// </summary>
    public static Either<ConvGenError, byte[]> Read(Stream content, string source, long size, bool sizeIsTheFiles, int classes)
    {
        ConvGenError Error(string what) => new($"{source}: {what}");
        if (size == 0)
        {
            return Error($"is empty; a CIFAR-10 batch is records of {Count(RecordBytes)} bytes, a label byte and {Count(ImageBytes)} pixel bytes each.");
        }

        long records = size / RecordBytes;
        if (size % RecordBytes != 0)
        {
            return Error($"holds {Count(size)} bytes, not a whole number of {Count(RecordBytes)}-byte records: {Count(records)} records and {Count(size % RecordBytes)} bytes of a cut-off one.");
        }

        if (size > MaximumBytes)
        {
            return Error($"{Count(records)} records take {Count(size)} bytes, more than one array can hold ({Count(MaximumBytes)}).");
        }

        long available = RunMemory.AvailableBytes(collect: false);
        if (size > available)
        {
            return Error($"{Count(records)} records take {Count(size)} bytes, more than the {Count(available)} bytes this process may still use.");
        }

        (byte[] bytes, long read) = sizeIsTheFiles ? BoundedRead.AtMost(content, size) : BoundedRead.InChunks(content, size);
        if (read < size)
        {
            return Error($"truncated: {Count(records)} records ({Count(size)} bytes) are declared but only {Count(read)} bytes follow.");
        }

        for (long record = 0; record < records; record++)
        {
            byte label = bytes[record * RecordBytes];
            if (label >= classes)
            {
                return Error($"record {Count(record)} has label {label}, outside the {classes} classes 0..{classes - 1}.");
            }
        }

        return bytes;
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
