using System.Collections.Immutable;
using ConvGen.IO;
using LanguageExt;
using static LanguageExt.Prelude;

namespace ConvGen.Checkpoints;

/// <summary>
/// A network's parameters in a <c>.safetensors</c> file, keyed and shaped as PyTorch's <c>state_dict()</c>, so
/// <c>model.load_state_dict(safetensors.torch.load_file(path))</c> reads what ConvGen writes, and the reverse.
/// </summary>
public static partial class Checkpoint
{
    /// <summary>
    /// Writes <paramref name="model"/>'s parameters to <paramref name="path"/> atomically: a crash or kill while
    /// saving leaves the previous file intact. The header's metadata records <c>format: pt</c> and the network's name.
    /// </summary>
    public static Either<ConvGenError, Unit> Save<TNet>(TNet model, string path)
        where TNet : class, INetwork<TNet> =>
        Save(NetworkDefinition.Of<TNet>(), model, path);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static Either<ConvGenError, Unit> Save<TNet>(NetworkDefinition<TNet> definition, TNet model, string path)
        where TNet : class
    {
        ArgumentNullException.ThrowIfNull(model);
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return Left<ConvGenError, Unit>(badPath);
        }

        KeyValuePair<string, string>[] metadata = [new("format", "pt"), new("convgen.network", definition.Layout.NetworkName)];
        return AtomicFile.Write(path, stream => SafeTensors.Write(stream, definition.ParametersOf(model), metadata));
    }

    /// <summary>
    /// The network stored in <paramref name="path"/>, which must hold exactly <typeparamref name="TNet"/>'s tensors
    /// (see <see cref="SafeTensors.Read(ReadOnlySpan{byte}, System.Collections.Immutable.ImmutableArray{ParameterInfo}, string)"/> for what is checked); the error names the file and the first mismatch.
    /// </summary>
    public static Either<ConvGenError, TNet> Load<TNet>(string path)
        where TNet : class, INetwork<TNet> =>
        Load(NetworkDefinition.Of<TNet>(), path);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static Either<ConvGenError, TNet> Load<TNet>(NetworkDefinition<TNet> definition, string path)
        where TNet : class =>
        ReadFile(path, _ => definition.Layout.Parameters).Map(file => definition.FromParameters(file.Tensors));

    /// <summary>
    /// The tensors and metadata of the safetensors file at <paramref name="path"/>, whose header metadata decides the
    /// tensors to expect (<paramref name="layoutFor"/>); any problem with the file is an error that names it.
    /// </summary>
    internal static Either<ConvGenError, (ParameterSet Tensors, IReadOnlyDictionary<string, string> Metadata)> ReadFile(
        string path, Func<IReadOnlyDictionary<string, string>, Either<string, ImmutableArray<ParameterInfo>>> layoutFor)
    {
        if (FileErrors.CheckPath(path) is { } badPath)
        {
            return badPath;
        }

        try
        {
            // The length first, without opening: a pipe or a device (/dev/zero) reports 0 and is refused here, before an
            // open that would wait for a writer or a read that would never end.
            long length = new FileInfo(path).Length;
            if (length < sizeof(ulong))
            {
                string what = length == 0 ? " (an empty file, a pipe or a device)" : string.Empty;
                return new ConvGenError(
                    $"{path}: {length} bytes{what} are too few for a safetensors file, which starts with an 8-byte header length.");
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            return SafeTensors.Read(file, Math.Min(length, file.Length), layoutFor, path);
        }
        catch (Exception exception) when (FileErrors.IsFileProblem(exception))
        {
            return FileErrors.Reading(path, exception);
        }
    }
}
