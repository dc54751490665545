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
        KeyValuePair<string, string>[] metadata = [new("format", "pt"), new("convgen.network", definition.Layout.NetworkName)];
        return AtomicFile.Write(path, stream => SafeTensors.Write(stream, definition.ParametersOf(model), metadata));
    }

    /// <summary>
    /// The network stored in <paramref name="path"/>, which must hold exactly <typeparamref name="TNet"/>'s tensors
    /// (see <see cref="SafeTensors.Read"/> for what is checked); the error names the file and the first mismatch.
    /// </summary>
    public static Either<ConvGenError, TNet> Load<TNet>(string path)
        where TNet : class, INetwork<TNet> =>
        Load(NetworkDefinition.Of<TNet>(), path);

    /// <summary>As the public overloads, for any network <paramref name="definition"/> describes.</summary>
    internal static Either<ConvGenError, TNet> Load<TNet>(NetworkDefinition<TNet> definition, string path)
        where TNet : class
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (FileErrors.IsFileProblem(exception))
        {
            return Left<ConvGenError, TNet>(FileErrors.Reading(path, exception));
        }

        return SafeTensors.Read(file, definition.Layout.Parameters, path).Map(definition.FromParameters);
    }
}
