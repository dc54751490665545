using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>The IDX reader: raw and gzipped files read alike, and every kind of bad file is an error naming it and what is wrong.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void RawAndGzippedFilesReadTheSame()
    {
        byte[] images = IdxFiles.Images(2, 4, 3);

        IdxArray raw = Read(images);
        IdxArray gzipped = Read(IdxFiles.Gzip(images));

        Assert.Equal([2, 4, 3], raw.Dimensions.ToArray());
        Assert.Equal(images[16..], raw.Values.ToArray());
        Assert.Equal(raw.Dimensions.ToArray(), gzipped.Dimensions.ToArray());
        Assert.Equal(raw.Values.ToArray(), gzipped.Values.ToArray());
    }

    [Fact]
    public void LabelsHaveRankOne()
    {
        string path = Write(IdxFiles.Labels(7, 2, 1));

        IdxArray labels = IdxReader.ReadLabels(path).Match(Right: array => array, Left: error => throw new InvalidOperationException(error.Message));

        Assert.Equal([3], labels.Dimensions.ToArray());
        Assert.Equal([7, 2, 1], labels.Values.ToArray());
    }

    [Fact]
    public void ATruncatedFileIsRefused()
    {
        byte[] truncated = IdxFiles.Images(2, 4, 3)[..^5];

        Assert.Equal("{path}: truncated: the header declares 2 x 4 x 3 = 24 bytes of data but only 19 follow.", ReadImagesError(truncated));
        Assert.Equal(
            "{path}: the gzip trailer records 35 bytes of content but the header declares 2 x 4 x 3 = 24 bytes after its 16-byte header: " +
            "the content is cut short, or bytes follow the gzip member.",
            ReadImagesError(IdxFiles.Gzip(truncated)));
    }

    [Fact]
    public void AFileLongerThanItsHeaderIsRefused()
    {
        Assert.Equal(
            "{path}: 3 bytes follow the 24 that the header declares (2 x 4 x 3).",
            ReadImagesError([.. IdxFiles.Images(2, 4, 3), 1, 2, 3]));
    }

    [Fact]
    public void AWrongMagicNumberIsRefused()
    {
        Assert.Equal(
            "{path}: the magic number is 0x12345678 but IDX images of unsigned bytes start with 0x00000803.",
            ReadImagesError(IdxFiles.Idx(0x12345678, [2, 4, 3], new byte[24])));
    }

    [Fact]
    public void FloatElementsAreRefused()
    {
        Assert.Equal(
            "{path}: the magic number is 0x00000D03 but IDX images of unsigned bytes start with 0x00000803.",
            ReadImagesError(IdxFiles.Idx(0x0D03, [1, 1, 1], new byte[4])));
    }

    [Fact]
    public void AWrongDimensionCountIsRefused()
    {
        Assert.Equal(
            "{path}: declares rank 1 (magic 0x00000801) but IDX images have rank 3 (magic 0x00000803).",
            ReadImagesError(IdxFiles.Labels(1, 2, 3)));
    }

    [Fact]
    public void ANonPositiveDimensionIsRefused()
    {
        Assert.Equal("{path}: dimension 1 is 0; every dimension must be positive.", ReadImagesError(IdxFiles.Idx(0x0803, [2, 0, 3], [])));
        Assert.Equal("{path}: dimension 0 is -5; every dimension must be positive.", ReadImagesError(IdxFiles.Idx(0x0803, [-5, 2, 3], [])));
    }

    [Fact]
    public void DimensionsTooLargeForMemoryAreRefusedBeforeAllocating()
    {
        Assert.Equal(
            "{path}: the dimensions 100000 x 100000 x 100000 describe more values than one array can hold (2,147,483,591).",
            ReadImagesError(IdxFiles.Idx(0x0803, [100_000, 100_000, 100_000], [])));
    }

    [Fact]
    public void AFileEndingInsideTheHeaderIsRefused()
    {
        Assert.Equal("{path}: ends after 2 bytes, inside the 4-byte IDX magic number.", ReadImagesError([0, 0]));
        Assert.Equal(
            "{path}: ends inside the IDX header: 3 dimensions need 12 bytes after the magic number but only 5 follow.",
            ReadImagesError(IdxFiles.Images(2, 4, 3)[..9]));
    }

    [Fact]
    public void CorruptGzipIsAnErrorValue()
    {
        byte[] gzipped = IdxFiles.Gzip(IdxFiles.Images(2, 4, 3));
        gzipped[12] ^= 0xFF;
        gzipped[13] ^= 0xFF;

        Assert.StartsWith("{path}: not a valid gzip stream (", ReadImagesError(gzipped));
    }

    [Fact]
    public void AMissingFileIsAnErrorValue()
    {
        string path = folder.File("absent-idx3-ubyte");

        Assert.Equal(path + ": no such file.", IdxReader.ReadImages(path).Match(Right: _ => "read", Left: error => error.Message));
    }

    private string Write(byte[] content)
    {
        string path = folder.File("test-idx-ubyte");
        File.WriteAllBytes(path, content);
        return path;
    }

    private IdxArray Read(byte[] content) =>
        IdxReader.ReadImages(Write(content)).Match(Right: array => array, Left: error => throw new InvalidOperationException(error.Message));

    /// <summary>The error for <paramref name="content"/> read as images, with the file's path shown as <c>{path}</c>.</summary>
    private string ReadImagesError(byte[] content)
    {
        string path = Write(content);
        return IdxReader.ReadImages(path).Match(Right: _ => "read", Left: error => error.Message.Replace(path, "{path}"));
    }
}
