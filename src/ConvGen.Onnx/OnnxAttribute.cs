using Onnx;

namespace ConvGen.Onnx;

/// <summary>The node attributes the exporter writes: integers, integer lists and floats.</summary>
internal static class OnnxAttribute
{
    /// <summary>An integer attribute, e.g. <c>group</c>.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An integer-list attribute, e.g. <c>kernel_shape</c>.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float attribute, e.g. <c>epsilon</c>.</summary>
    public static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };
}
