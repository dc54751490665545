using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace ConvGen.Tests.Data;

/// <summary>Small CIFAR-10 batches in the release's binary format, and archives of them, built by the tests.</summary>
internal static class CifarFiles
{
    public const int RecordBytes = 3073;

    /// <summary>The byte of pixel (channel, row, column) of record <paramref name="record"/> of batch <paramref name="batch"/>: distinct enough that a swapped axis shows.</summary>
    public static byte Level(int batch, int record, int channel, int row, int column) =>
        (byte)((batch * 53 + record * 29 + channel * 100 + row * 7 + column * 3) % 256);

    /// <summary>A batch file: per label one record, its label byte then red, green and blue 32x32 planes, rows in order.</summary>
    public static byte[] Batch(int batch, params byte[] labels)
    {
        byte[] file = new byte[labels.Length * RecordBytes];
        for (int record = 0; record < labels.Length; record++)
        {
            int offset = record * RecordBytes;
            file[offset] = labels[record];
            for (int channel = 0; channel < 3; channel++)
            {
                for (int row = 0; row < 32; row++)
                {
                    for (int column = 0; column < 32; column++)
                    {
                        file[offset + 1 + (channel * 1024) + (row * 32) + column] = Level(batch, record, channel, row, column);
                    }
                }
            }
        }

        return file;
    }

    /// <summary>The six batch files: train batch b (1..5) holds the labels <c>b-1</c> and <c>b+4</c>, the test batch 3, 7 and 0.</summary>
    public static Dictionary<string, byte[]> Release() => new()
    {
        ["data_batch_1.bin"] = Batch(1, 0, 5),
        ["data_batch_2.bin"] = Batch(2, 1, 6),
        ["data_batch_3.bin"] = Batch(3, 2, 7),
        ["data_batch_4.bin"] = Batch(4, 3, 8),
        ["data_batch_5.bin"] = Batch(5, 4, 9),
        ["test_batch.bin"] = Batch(6, 3, 7, 0),
    };

    /// <summary>Writes <paramref name="files"/> into <paramref name="folder"/>.</summary>
    public static void Write(string folder, Dictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(folder);
        foreach ((string name, byte[] content) in files)
        {
            File.WriteAllBytes(Path.Combine(folder, name), content);
        }
    }

    /// <summary>A .tar.gz laid out as the release is: every file under <c>cifar-10-batches-bin/</c>, with the class names beside them.</summary>
    public static byte[] Archive(Dictionary<string, byte[]> files)
    {
        var tarred = new MemoryStream();
        using (var writer = new TarWriter(tarred, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"));
            Add(writer, "cifar-10-batches-bin/batches.meta.txt", Encoding.ASCII.GetBytes("airplane\nautomobile\n"));
            foreach ((string name, byte[] content) in files)
            {
                Add(writer, "cifar-10-batches-bin/" + name, content);
            }
        }

        return IdxFiles.Gzip(tarred.ToArray());
    }

    /// <summary>A .tar.gz of one ustar header naming <paramref name="name"/> and claiming <paramref name="declaredSize"/> bytes, followed by none.</summary>
    public static byte[] ArchiveClaiming(string name, long declaredSize)
    {
        byte[] header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(declaredSize, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        int checksum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return IdxFiles.Gzip(header);
    }

    private static void Add(TarWriter writer, string name, byte[] content) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
}
