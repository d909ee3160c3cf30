using Onnx;
using AT = Onnx.AttributeProto.Types.AttributeType;

namespace NativeCam.Importers.Onnx;

/// <summary>Typed access to a node's attributes, with ONNX's defaults given at the call site.</summary>
internal sealed class AttributeReader(NodeContext node)
{
    private AttributeProto? Find(string name, AT type)
    {
        foreach (var a in node.Node.Attribute)
            if (a.Name == name)
            {
                // old exporters leave the type unset; trust the field then
                if (a.Type != AT.Undefined && a.Type != type)
                    throw node.Fail($"attribute '{name}' has type {a.Type}, expected {type}");
                return a;
            }
        return null;
    }

    /// <summary>True when the attribute is present.</summary>
    public bool Has(string name) => node.Node.Attribute.Any(a => a.Name == name);

    /// <summary>An INT attribute.</summary>
    public long Int(string name, long fallback) => Find(name, AT.Int) is { } a ? a.I : fallback;

    /// <summary>A required INT attribute.</summary>
    public long Int(string name) => Find(name, AT.Int)?.I ?? throw node.Fail($"required attribute '{name}' is missing");

    /// <summary>A FLOAT attribute.</summary>
    public float Float(string name, float fallback) => Find(name, AT.Float) is { } a ? a.F : fallback;

    /// <summary>A STRING attribute (UTF-8).</summary>
    public string String(string name, string fallback) => Find(name, AT.String) is { } a ? a.S.ToStringUtf8() : fallback;

    /// <summary>An INTS attribute, or null when absent.</summary>
    public long[]? Ints(string name) => Find(name, AT.Ints) is { } a ? a.Ints.ToArray() : null;

    /// <summary>A FLOATS attribute, or null when absent.</summary>
    public float[]? Floats(string name) => Find(name, AT.Floats) is { } a ? a.Floats.ToArray() : null;

    /// <summary>A TENSOR attribute, or null when absent.</summary>
    public TensorProto? Tensor(string name) => Find(name, AT.Tensor)?.T;

    /// <summary>An INTS attribute as ints, checked to fit.</summary>
    public int[]? IntArray(string name) => Ints(name)?.Select(v => v is < int.MinValue or > int.MaxValue
        ? throw node.Fail($"attribute '{name}' value {v} is out of range") : (int)v).ToArray();
}
