using ConvGen.Data;

namespace ConvGen.Tests.Data;

/// <summary>
/// CIFAR-10 files that claim more than they hold: a tar header's size is checked (whole records, one array, the memory
/// left) before anything of that size is allocated, and read in chunks, so a claim the data does not back costs only
/// what arrives.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class CifarBombTests : IDisposable
{
    private readonly TemporaryFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void AnEntryClaimingMoreThanOneArrayIsRefusedBeforeAllocating()
    {
        // A million records: 3,073,000,000 bytes, a whole number of records but past the largest array.
        string path = Write(CifarFiles.ArchiveClaiming("cifar-10-batches-bin/data_batch_1.bin", 3073L * 1_000_000));

        (string error, long allocated) = LoadCountingAllocations(path);

        Assert.Equal(
            $"{path}, cifar-10-batches-bin/data_batch_1.bin: 1,000,000 records take 3,073,000,000 bytes, more than one array can hold (2,147,483,591).",
            error);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void AnEntryClaimingAFewHundredMegabytesCostsOnlyWhatItSends()
    {
        string path = Write(CifarFiles.ArchiveClaiming("cifar-10-batches-bin/test_batch.bin", 3073L * 100_000));

        (string error, long allocated) = LoadCountingAllocations(path);

        Assert.StartsWith($"{path}, cifar-10-batches-bin/test_batch.bin: truncated: 100,000 records (307,300,000 bytes) are declared but only ", error);
        // One 64 MiB chunk, not the 307 MB claimed.
        Assert.True(allocated < 80 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void AnEntryClaimingAPartRecordIsRefusedBeforeReading()
    {
        string path = Write(CifarFiles.ArchiveClaiming("cifar-10-batches-bin/data_batch_2.bin", 3073L * 20_000 + 7));

        Assert.Equal(
            $"{path}, cifar-10-batches-bin/data_batch_2.bin: holds 61,460,007 bytes, not a whole number of 3,073-byte records: 20,000 records and 7 bytes of a cut-off one.",
            LoadCountingAllocations(path).Error);
    }

    private static (string Error, long Allocated) LoadCountingAllocations(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string error = Cifar10.Load(path).Match(Right: _ => "loaded", Left: e => e.Message);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private string Write(byte[] archive)
    {
        string path = folder.File(Cifar10.ArchiveFile);
        File.WriteAllBytes(path, archive);
        return path;
    }
}
