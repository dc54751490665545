using System.Buffers.Binary;
using System.IO.Compression;

namespace ConvGen.Tests.Data;

/// <summary>Small IDX files built in memory, so every reader test states its bytes exactly.</summary>
internal static class IdxFiles
{
    /// <summary>An images file, magic 0x00000803: <paramref name="count"/> images whose pixel i is <c>(image * 31 + i) % 256</c>.</summary>
    public static byte[] Images(int count, int height, int width) =>
        Idx(0x0803, [count, height, width], Enumerable.Range(0, count * height * width).Select(i => (byte)((i / (height * width) * 31 + i % (height * width)) % 256)).ToArray());

    /// <summary>A labels file, magic 0x00000801.</summary>
    public static byte[] Labels(params byte[] labels) => Idx(0x0801, [labels.Length], labels);

    /// <summary>Any IDX file: the magic, the dimensions, then <paramref name="payload"/> as given (right length or not).</summary>
    public static byte[] Idx(int magic, int[] dimensions, byte[] payload)
    {
        byte[] file = new byte[4 + 4 * dimensions.Length + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(file, magic);
        for (int axis = 0; axis < dimensions.Length; axis++)
        {
            BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(4 + 4 * axis), dimensions[axis]);
        }

        payload.CopyTo(file, 4 + 4 * dimensions.Length);
        return file;
    }

    /// <summary><paramref name="content"/> gzipped.</summary>
    public static byte[] Gzip(byte[] content)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>The four standard files of 4x3 images with these labels; train gzipped, test raw, as both must work.</summary>
    public static void WriteStandardSet(string folder, byte[] trainLabels, byte[] testLabels)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte.gz"), Gzip(Images(trainLabels.Length, 4, 3)));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte.gz"), Gzip(Labels(trainLabels)));
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), Images(testLabels.Length, 4, 3));
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), Labels(testLabels));
    }
}
