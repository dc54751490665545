using ConvGen.IO;
using ConvGen.Layers;
using Google.Protobuf;
using LanguageExt;
using Onnx;
using static LanguageExt.Prelude;

namespace ConvGen.Onnx;

/// <summary>
/// Exports a trained network to ONNX (opset 17) for ONNX Runtime and every other ONNX engine: one float32 input
/// <c>input</c> of shape <c>(batch, C, H, W)</c> (or <c>(batch, C, L)</c>), one output <c>output</c>, the batch
/// dimension dynamic, the layer names as node names and the <c>state_dict()</c> keys as initializer names, ConvGen's
/// version in the metadata. The graph computes the network's evaluation-mode forward pass (dropout omitted, batch
/// norm with its running statistics). The same model always gives the same bytes.
/// <code>OnnxExport.Save(model, "digits.onnx")</code>
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graph uses.</summary>
    public const int Opset = 17;

    /// <summary>The name of the graph's input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph's output.</summary>
    public const string OutputName = "output";

    /// <summary>The name of the dynamic first dimension of the input, the output and every value between.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The metadata key of ConvGen's version, in the model's <c>metadata_props</c>.</summary>
    public const string VersionKey = "convgen.version";

    /// <summary>The metadata key of the network's name, in the model's <c>metadata_props</c>.</summary>
    public const string NetworkKey = "convgen.network";

    /// <summary>A generated network as an ONNX model, or the error naming the layer that has no ONNX form.</summary>
    public static Either<ConvGenError, ModelProto> ToModel<TNet>(TNet model)
        where TNet : class, INetwork<TNet>
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToModel(TNet.Architecture, model.Parameters);
    }

    /// <summary>A <see cref="SequentialNetwork"/> as an ONNX model, or the error naming the layer that has no ONNX form.</summary>
    public static Either<ConvGenError, ModelProto> ToModel(SequentialNetwork model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ToModel(model.Architecture, model.Parameters);
    }

    /// <summary>
    /// Any network described by <paramref name="architecture"/>, with <paramref name="parameters"/>, as an ONNX model.
    /// The errors name the layer with no ONNX form, the value a node reads that nothing gives, or the tensor the
    /// parameters lack, hold in another shape, or hold beyond what the layers read.
    /// </summary>
    public static Either<ConvGenError, ModelProto> ToModel(Architecture architecture, ParameterSet parameters)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(parameters);
        return ModelWriter.Write(architecture, parameters);
    }

    /// <summary>A generated network as the bytes of an <c>.onnx</c> file; see <see cref="ToModel{TNet}(TNet)"/>.</summary>
    public static Either<ConvGenError, byte[]> ToBytes<TNet>(TNet model)
        where TNet : class, INetwork<TNet> =>
        ToModel(model).Map(Bytes);

    /// <summary>A <see cref="SequentialNetwork"/> as the bytes of an <c>.onnx</c> file; see <see cref="ToModel(SequentialNetwork)"/>.</summary>
    public static Either<ConvGenError, byte[]> ToBytes(SequentialNetwork model) => ToModel(model).Map(Bytes);

    /// <summary>The bytes of an <c>.onnx</c> file for <paramref name="architecture"/>; see <see cref="ToModel(Architecture, ParameterSet)"/>.</summary>
    public static Either<ConvGenError, byte[]> ToBytes(Architecture architecture, ParameterSet parameters) =>
        ToModel(architecture, parameters).Map(Bytes);

    /// <summary>
    /// Writes a generated network to <paramref name="path"/> atomically, as checkpoints are written: a failure or a
    /// crash leaves the previous file, never part of a new one. Errors: a layer with no ONNX form, a path that is
    /// empty or a folder, a file that cannot be written.
    /// </summary>
    public static Either<ConvGenError, Unit> Save<TNet>(TNet model, string path)
        where TNet : class, INetwork<TNet> =>
        ToModel(model).Bind(onnx => Write(onnx, path));

    /// <summary>Writes a <see cref="SequentialNetwork"/> to <paramref name="path"/> atomically; see <see cref="Save{TNet}(TNet, string)"/>.</summary>
    public static Either<ConvGenError, Unit> Save(SequentialNetwork model, string path) =>
        ToModel(model).Bind(onnx => Write(onnx, path));

    /// <summary>Writes the network <paramref name="architecture"/> describes to <paramref name="path"/> atomically; see <see cref="Save{TNet}(TNet, string)"/>.</summary>
    public static Either<ConvGenError, Unit> Save(Architecture architecture, ParameterSet parameters, string path) =>
        ToModel(architecture, parameters).Bind(onnx => Write(onnx, path));

    private static byte[] Bytes(ModelProto model) => model.ToByteArray();

    private static Either<ConvGenError, Unit> Write(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal) || Path.EndsInDirectorySeparator(path))
        {
            return Left<ConvGenError, Unit>(ExportErrors.NoFilePath(path));
        }

        if (Directory.Exists(path))
        {
            return Left<ConvGenError, Unit>(ExportErrors.FolderPath(path));
        }

        return AtomicFile.Write(path, model.WriteTo);
    }
}
