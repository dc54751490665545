namespace ConvGen.IO;

/// <summary>
/// Reads a count of bytes that a header declared: at once when something else vouches for the size (a file's length),
/// in chunks when only the stream does (a pipe, a tar entry), so a header that lies costs only the bytes actually sent.
/// </summary>
internal static class BoundedRead
{
    private const int ChunkBytes = 64 << 20;

    /// <summary>Up to <paramref name="count"/> bytes into one array of that size, and how many arrived.</summary>
    public static (byte[] Values, long Read) AtMost(Stream content, long count)
    {
        byte[] values = new byte[count];
        return (values, content.ReadAtLeast(values, values.Length, throwOnEndOfStream: false));
    }

    /// <summary>
    /// <paramref name="count"/> bytes taken in chunks of 64 MiB and joined once all have arrived; when they do not, an
    /// empty array and the count that did.
    /// </summary>
    public static (byte[] Values, long Read) InChunks(Stream content, long count)
    {
        if (count <= ChunkBytes)
        {
            return AtMost(content, count);
        }

        var chunks = new List<byte[]>();
        long read = 0;
        while (read < count)
        {
            (byte[] chunk, long got) = AtMost(content, Math.Min(ChunkBytes, count - read));
            read += got;
            if (got < chunk.Length)
            {
                return ([], read);
            }

            chunks.Add(chunk);
        }

        byte[] values = new byte[count];
        long offset = 0;
        foreach (byte[] chunk in chunks)
        {
            chunk.CopyTo(values, offset);
            offset += chunk.Length;
        }

        return (values, read);
    }
}
