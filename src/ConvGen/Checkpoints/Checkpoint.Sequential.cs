using ConvGen.Layers;
using LanguageExt;

namespace ConvGen.Checkpoints;

/// <summary>Checkpoints of networks composed at run time: the same files, keys and checks as for generated ones.</summary>
public static partial class Checkpoint
{
    /// <summary>
    /// Writes <paramref name="model"/>'s parameters to <paramref name="path"/> atomically, under PyTorch's
    /// <c>state_dict()</c> keys; the metadata records the network's name.
    /// </summary>
    public static Either<ConvGenError, Unit> Save(SequentialNetwork model, string path) =>
        Save(model.Sequential.Definition, model, path);

    /// <summary>
    /// <paramref name="architecture"/> holding the parameters stored in <paramref name="path"/>, which must be exactly its
    /// tensors; a file written for a generated network with the same layers loads too.
    /// </summary>
    public static Either<ConvGenError, SequentialNetwork> Load(Sequential architecture, string path) =>
        Load(architecture.Definition, path);
}
