using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>
/// Files that claim far more than they hold: the reader compares the declared size with the file's own size (its
/// length, or a gzip trailer's count) before allocating, never trusts a size only the stream vouches for, stops
/// decompressing at the declared size, refuses bytes after the gzip member, and reads pipes as well as files.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class IdxBombTests : IDisposable
{
    // 46340^2 = 2,147,395,600 bytes: just under the largest array, so only the size checks stand in the way.
    private const int Side = 46340;
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>A 16-byte header claiming 1 x 46340 x 46340 images and nothing after it.</summary>
    public static byte[] HugeHeader() => IdxFiles.Idx(0x0803, [1, Side, Side], []);

    /// <summary>
    /// The gzip bomb: the same header, then 400 MB of zeros, gzipped to about 390 KB. Honest about its own
    /// content (a valid gzip member) but not about the images it holds.
    /// </summary>
    public static byte[] GzipBomb()
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(HugeHeader());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 400; i++)
            {
                gzip.Write(zeros);
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public void AHugeHeaderOnAnEmptyFileIsRefusedBeforeAllocating()
    {
        string path = Write(HugeHeader());

        (string error, long allocated) = ReadCountingAllocations(path);

        Assert.Equal(path + ": truncated: the header declares 1 x 46340 x 46340 = 2,147,395,600 bytes of data but only 0 follow.", error);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void AGzipBombIsRefusedByItsTrailerBeforeDecompressing()
    {
        byte[] bomb = GzipBomb();
        string path = Write(bomb);

        (string error, long allocated) = ReadCountingAllocations(path);

        Assert.True(bomb.Length < 500_000, $"the bomb is {bomb.Length} bytes");
        Assert.Equal(
            path + ": the gzip trailer records 419,430,416 bytes of content but the header declares 1 x 46340 x 46340 = 2,147,395,600 bytes after its 16-byte header: " +
            "the content is cut short, or bytes follow the gzip member.",
            error);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    /// <summary>The gzip bomb with its trailer forged to agree with the header: only the data can show the lie.</summary>
    public static byte[] ForgedGzipBomb()
    {
        byte[] bomb = GzipBomb();
        BinaryPrimitives.WriteUInt32LittleEndian(bomb.AsSpan(bomb.Length - 4), 16u + (uint)Side * Side);
        return bomb;
    }

    [Fact]
    public void AGzipBombWithAForgedTrailerIsRefusedWhereTheDataStops()
    {
        Assert.StartsWith("{path}: not a valid gzip stream (", ErrorOf(ForgedGzipBomb()));
    }

    [Fact]
    public void APipeClaimingGigabytesCostsOnlyWhatItSends()
    {
        string pipe = folder.File("bomb-pipe");
        MakeFifo(pipe);
        var writer = new Thread(() =>
        {
            using var stream = new FileStream(pipe, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
            stream.Write(HugeHeader());
            stream.Write(new byte[100 << 20]);
        });
        writer.Start();

        (string error, long allocated) = ReadCountingAllocations(pipe);

        Assert.True(writer.Join(TimeSpan.FromMinutes(1)), "the writer never finished");
        Assert.Equal(pipe + ": truncated: the header declares 1 x 46340 x 46340 = 2,147,395,600 bytes of data but only 104,857,600 follow.", error);
        // Two 64 MiB chunks to hold the 100 MiB that came: far from the 2 GiB claimed.
        Assert.True(allocated < 200L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void BytesAfterTheGzipMemberAreRefused()
    {
        byte[] gzipped = IdxFiles.Gzip(IdxFiles.Images(2, 4, 3));

        Assert.Equal(
            "{path}: the gzip trailer records 50,462,976 bytes of content but the header declares 2 x 4 x 3 = 24 bytes after its 16-byte header: " +
            "the content is cut short, or bytes follow the gzip member.",
            ErrorOf([.. gzipped, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0, 1, 2, 3]));
        Assert.Contains("bytes follow the gzip member", ErrorOf([.. gzipped, .. IdxFiles.Gzip([1, 2, 3])]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APipeIsReadLikeAFile(bool gzip)
    {
        byte[] content = IdxFiles.Images(3, 4, 5);
        string pipe = folder.File("images-pipe");
        MakeFifo(pipe);
        var writer = new Thread(() => File.WriteAllBytes(pipe, gzip ? IdxFiles.Gzip(content) : content));
        writer.Start();

        IdxArray images = IdxReader.ReadImages(pipe).Match(Right: array => array, Left: error => throw new InvalidOperationException(error.Message));

        Assert.True(writer.Join(TimeSpan.FromMinutes(1)), "the writer never finished");
        Assert.Equal([3, 4, 5], images.Dimensions.ToArray());
        Assert.Equal(content[16..], images.Values.ToArray());
    }

    [Fact]
    public void APipeLongerThanItsHeaderIsRefusedAfterOneByteMore()
    {
        string pipe = folder.File("labels-pipe");
        MakeFifo(pipe);
        var writer = new Thread(() =>
        {
            // A writer that would go on for ever: the reader stops one byte past the declared size and closes the pipe.
            try
            {
                using var stream = new FileStream(pipe, FileMode.Open, FileAccess.Write, FileShare.Read, bufferSize: 0);
                stream.Write(IdxFiles.Labels(1, 2, 3));
                while (true)
                {
                    stream.Write(new byte[4096]);
                }
            }
            catch (IOException)
            {
                // The reader closed its end: the broken pipe is the expected end of this writer.
            }
        });
        writer.Start();

        string error = IdxReader.ReadLabels(pipe).Match(Right: _ => "read", Left: e => e.Message);

        Assert.Equal(pipe + ": more bytes follow the 3 that the header declares (3).", error);
        Assert.True(writer.Join(TimeSpan.FromMinutes(1)), "the writer never saw the reader close the pipe");
    }

    private string ErrorOf(byte[] content)
    {
        string path = Write(content);
        return IdxReader.ReadImages(path).Match(Right: _ => "read", Left: error => error.Message.Replace(path, "{path}"));
    }

    private string Write(byte[] content)
    {
        string path = folder.File("bomb-idx3-ubyte");
        File.WriteAllBytes(path, content);
        return path;
    }

    // The read runs on this thread alone, so its count is exact: the test host's background threads cannot add to it.
    private static (string Error, long Allocated) ReadCountingAllocations(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string error = IdxReader.ReadImages(path).Match(Right: _ => "read", Left: e => e.Message);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void MakeFifo(string path)
    {
        using Process process = Process.Start("mkfifo", [path])!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
