using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face), restricted to what ConvGen stores: an 8-byte little-endian header length,
/// a JSON header mapping each PyTorch <c>state_dict()</c> key to <c>{"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}</c> plus an optional <c>"__metadata__"</c> of strings, padded with spaces to a
/// multiple of 8 bytes, then the tensors' raw little-endian bytes, each offset relative to the end of the header.
/// Counts (<see cref="ParameterInfo.IsCount"/>, BatchNorm's <c>num_batches_tracked</c>) are <c>"I64"</c>, as PyTorch stores them.
/// </summary>
public static class SafeTensors
{
    /// <summary>The reference implementation refuses headers over 100 MB; so do we, before allocating anything.</summary>
    public const long MaximumHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";
    private const string Float32 = "F32";
    private const string Int64 = "I64";
    private const int HeaderAlignment = 8;
    private const int ChunkFloats = 16384;

    /// <summary>
    /// Writes <paramref name="parameters"/> to <paramref name="stream"/>: tensors in layout order, contiguous, the
    /// metadata first in the header. The same parameters and metadata always give the same bytes.
    /// </summary>
    public static void Write(Stream stream, ParameterSet parameters, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(metadata);
        byte[] header = Header(parameters.Layout, metadata);
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);

        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkFloats * sizeof(float));
        try
        {
            foreach (ParameterInfo parameter in parameters.Layout)
            {
                ReadOnlySpan<float> values = parameters.Values.Slice(parameter.Offset, parameter.Length);
                if (parameter.IsCount)
                {
                    WriteCounts(stream, values, chunk);
                    continue;
                }

                for (int start = 0; start < values.Length; start += ChunkFloats)
                {
                    ReadOnlySpan<float> part = values.Slice(start, Math.Min(ChunkFloats, values.Length - start));
                    for (int i = 0; i < part.Length; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(chunk.AsSpan(i * sizeof(float)), part[i]);
                    }

                    stream.Write(chunk, 0, part.Length * sizeof(float));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// The parameters in <paramref name="file"/>, which must hold exactly the tensors of <paramref name="layout"/>
    /// (any order) as F32 (counts as I64) with the same shapes, with data offsets that tile the data exactly. Each mismatch is an error
    /// that starts with <paramref name="source"/> and names the tensor, e.g.
    /// <c>conv1.weight: expected shape (32, 1, 5, 5) but the file has (32, 1, 3, 3).</c>
    /// </summary>
    public static unsafe Either<ConvGenError, ParameterSet> Read(ReadOnlySpan<byte> file, ImmutableArray<ParameterInfo> layout, string source)
    {
        fixed (byte* start = file)
        {
            using var stream = new UnmanagedMemoryStream(start, file.Length);
            return Read(stream, file.Length, layout, source);
        }
    }

    /// <summary>
    /// As the span overload, streaming the <paramref name="length"/> bytes of <paramref name="stream"/> from its current
    /// position: the header first, checked against the layout and the length before any tensor is allocated, then the
    /// tensors in file order, so a checkpoint of any size reads in one pass with one small buffer.
    /// </summary>
    /// <exception cref="IOException">The stream fails, or ends before <paramref name="length"/> bytes.</exception>
    internal static Either<ConvGenError, ParameterSet> Read(Stream stream, long length, ImmutableArray<ParameterInfo> layout, string source) =>
        Read(stream, length, _ => layout, source).Map(file => file.Tensors);

    /// <summary>
    /// As the other stream overload, with the layout to expect decided by the header's <c>__metadata__</c> (empty when
    /// absent): <paramref name="layoutFor"/> returns it, or why the metadata cannot be used. Returns the tensors and the metadata.
    /// </summary>
    /// <exception cref="IOException">The stream fails, or ends before <paramref name="length"/> bytes.</exception>
    internal static Either<ConvGenError, (ParameterSet Tensors, IReadOnlyDictionary<string, string> Metadata)> Read(
        Stream stream, long length, Func<IReadOnlyDictionary<string, string>, Either<string, ImmutableArray<ParameterInfo>>> layoutFor, string source)
    {
        ConvGenError Error(string what) => new($"{source}: {what}");
        if (length < sizeof(ulong))
        {
            return Error($"{length} bytes are too few for a safetensors file, which starts with an 8-byte header length.");
        }

        Span<byte> lengthBytes = stackalloc byte[sizeof(ulong)];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        long available = length - sizeof(ulong);
        if (headerLength > MaximumHeaderBytes)
        {
            return Error(string.Create(
                CultureInfo.InvariantCulture,
                $"the header length is {headerLength} bytes, over the format's limit of {MaximumHeaderBytes:N0}: this is not a safetensors file or it is corrupt."));
        }

        if ((long)headerLength > available)
        {
            return Error($"truncated: the header length is {headerLength} bytes but only {available} bytes follow.");
        }

        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        if (ParseHeader(header, out Dictionary<string, TensorEntry> entries, out Dictionary<string, string> metadata) is { } malformed)
        {
            return Error(malformed);
        }

        long dataLength = available - (long)headerLength;
        return layoutFor(metadata).MapLeft(Error).Bind(layout =>
            CheckEntries(entries, layout, dataLength) is { } problem
                ? Left<ConvGenError, (ParameterSet, IReadOnlyDictionary<string, string>)>(Error(problem))
                : Right<ConvGenError, (ParameterSet, IReadOnlyDictionary<string, string>)>((ReadTensors(stream, layout, entries), metadata)));
    }

    // The entries tile the data exactly (checked before), so reading them in offset order walks the file once.
    private static ParameterSet ReadTensors(Stream stream, ImmutableArray<ParameterInfo> layout, Dictionary<string, TensorEntry> entries)
    {
        float[] values = new float[layout.Sum(parameter => parameter.Length)];
        byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkFloats * sizeof(long));
        try
        {
            foreach (ParameterInfo parameter in layout.OrderBy(parameter => entries[parameter.Name].Begin))
            {
                ReadTensor(stream, parameter, values.AsSpan(parameter.Offset, parameter.Length), chunk);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return ParameterSet.Own(layout, values);
    }

    private static void ReadTensor(Stream stream, ParameterInfo parameter, Span<float> target, byte[] chunk)
    {
        int size = ElementSize(parameter);
        for (int start = 0; start < target.Length; start += ChunkFloats)
        {
            int count = Math.Min(ChunkFloats, target.Length - start);
            Span<byte> bytes = chunk.AsSpan(0, count * size);
            stream.ReadExactly(bytes);
            Span<float> part = target.Slice(start, count);
            for (int i = 0; i < part.Length; i++)
            {
                part[i] = parameter.IsCount
                    ? BinaryPrimitives.ReadInt64LittleEndian(bytes[(i * size)..])
                    : BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * size)..]);
            }
        }
    }

    // Counts are whole numbers held as float32 in the vector; the file holds them as int64.
    private static void WriteCounts(Stream stream, ReadOnlySpan<float> counts, byte[] chunk)
    {
        foreach (float count in counts)
        {
            BinaryPrimitives.WriteInt64LittleEndian(chunk, (long)count);
            stream.Write(chunk, 0, sizeof(long));
        }
    }

    private static string DType(ParameterInfo parameter) => parameter.IsCount ? Int64 : Float32;

    private static int ElementSize(ParameterInfo parameter) => parameter.IsCount ? sizeof(long) : sizeof(float);

    private static byte[] Header(ImmutableArray<ParameterInfo> layout, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata.Count > 0)
            {
                json.WriteStartObject(MetadataKey);
                foreach ((string key, string value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (ParameterInfo parameter in layout)
            {
                json.WriteStartObject(parameter.Name);
                json.WriteString("dtype", DType(parameter));
                json.WriteStartArray("shape");
                foreach (int size in parameter.Shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)parameter.Length * ElementSize(parameter);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Spaces after the JSON keep the tensor data 8-byte aligned, as the reference writer does.
        int padded = (buffer.WrittenCount + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Reads the header's tensor entries and metadata; returns why it cannot, or null.</summary>
    private static string? ParseHeader(byte[] header, out Dictionary<string, TensorEntry> entries, out Dictionary<string, string> metadata)
    {
        entries = [];
        metadata = [];
        try
        {
            using JsonDocument document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return $"the header is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.";
            }

            var seen = new System.Collections.Generic.HashSet<string>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    return $"{property.Name} appears twice in the header.";
                }

                if (property.Name == MetadataKey)
                {
                    if (!IsStringMap(property.Value))
                    {
                        return $"{MetadataKey} must map names to strings.";
                    }

                    foreach (JsonProperty item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.GetString()!;
                    }
                }
                else if (TensorEntry.Parse(property.Value) is { } entry)
                {
                    entries.Add(property.Name, entry);
                }
                else
                {
                    return $"{property.Name}: the entry needs \"dtype\" (a string), \"shape\" (sizes >= 0) and \"data_offsets\" ([begin, end], 0 <= begin <= end).";
                }
            }

            return null;
        }
        catch (JsonException exception)
        {
            return $"the header is not valid JSON ({exception.Message})";
        }
    }

    private static bool IsStringMap(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.EnumerateObject().All(item => item.Value.ValueKind == JsonValueKind.String);

    /// <summary>The first way <paramref name="entries"/> differ from <paramref name="layout"/> or fail to tile the data, or null.</summary>
    private static string? CheckEntries(Dictionary<string, TensorEntry> entries, ImmutableArray<ParameterInfo> layout, long dataLength)
    {
        string expectedKeys = string.Join(", ", layout.Select(parameter => parameter.Name));
        string[] missing = layout.Select(parameter => parameter.Name).Where(name => !entries.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
        {
            return $"missing {FewOf(missing)}; the network expects {expectedKeys}.";
        }

        var known = layout.Select(parameter => parameter.Name).ToHashSet();
        string[] unexpected = entries.Keys.Where(name => !known.Contains(name)).ToArray();
        if (unexpected.Length > 0)
        {
            return $"unexpected {FewOf(unexpected)}; the network expects only {expectedKeys}.";
        }

        foreach (ParameterInfo parameter in layout)
        {
            TensorEntry entry = entries[parameter.Name];
            if (entry.DType != DType(parameter))
            {
                return $"{parameter.Name}: the dtype is {entry.DType} but ConvGen reads only {DType(parameter)}.";
            }

            if (!entry.Shape.SequenceEqual(parameter.Shape.Select(size => (long)size)))
            {
                return $"{parameter.Name}: expected shape {parameter.ShapeText} but the file has ({string.Join(", ", entry.Shape)}).";
            }

            long needed = (long)parameter.Length * ElementSize(parameter);
            if (entry.End - entry.Begin != needed)
            {
                return $"{parameter.Name}: data_offsets [{entry.Begin}, {entry.End}] span {entry.End - entry.Begin} bytes but shape {parameter.ShapeText} in {DType(parameter)} needs {needed}.";
            }
        }

        long end = entries.Values.Max(entry => entry.End);
        if (end > dataLength)
        {
            return $"truncated: the tensors need {end} bytes of data but only {dataLength} follow the header.";
        }

        // In offset order every tensor must start where the one before it ends: no gaps, no overlaps.
        string previous = "the header";
        long cursor = 0;
        foreach ((string name, TensorEntry entry) in entries.OrderBy(item => item.Value.Begin).ThenBy(item => item.Value.End))
        {
            if (entry.Begin < cursor)
            {
                return $"{name}: data_offsets [{entry.Begin}, {entry.End}] overlap {previous}, which ends at {cursor}.";
            }

            if (entry.Begin > cursor)
            {
                return $"{name}: data_offsets [{entry.Begin}, {entry.End}] leave {entry.Begin - cursor} bytes after {previous} that belong to no tensor.";
            }

            (previous, cursor) = (name, entry.End);
        }

        return cursor < dataLength
            ? $"{dataLength - cursor} bytes follow the last tensor, {previous}; the file is longer than its header describes."
            : null;
    }

    // A header may name a million tensors: a message lists the first few and counts the rest.
    private static string FewOf(string[] names)
    {
        const int Listed = 10;
        return names.Length <= Listed
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(Listed)) + string.Create(CultureInfo.InvariantCulture, $" and {names.Length - Listed:N0} more");
    }

    /// <summary>One tensor's header entry, with sizes and offsets as parsed (not yet checked against a layout).</summary>
    private sealed record TensorEntry(string DType, ImmutableArray<long> Shape, long Begin, long End)
    {
        public static TensorEntry? Parse(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("shape", out JsonElement shape) || NonNegativeIntegers(shape) is not { } sizes
                || !element.TryGetProperty("data_offsets", out JsonElement offsets) || NonNegativeIntegers(offsets) is not { Length: 2 } range
                || range[0] > range[1])
            {
                return null;
            }

            return new TensorEntry(dtype.GetString()!, sizes, range[0], range[1]);
        }

        private static ImmutableArray<long>? NonNegativeIntegers(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var values = ImmutableArray.CreateBuilder<long>();
            foreach (JsonElement item in element.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
                {
                    return null;
                }

                values.Add(value);
            }

            return values.ToImmutable();
        }
    }
}
