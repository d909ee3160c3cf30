using Google.Protobuf;
using Onnx;
using AT = Onnx.AttributeProto.Types.AttributeType;

namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// The ops the optimizer emits, in their own domain: <c>FusedConv</c> (a Conv's attributes plus <c>activation</c>,
/// <c>activation_params</c>; inputs X, W, B, residual Z, the last two optional) and <c>Silu</c> (x·σ(x)). Every fused
/// node also lists the source tensors it hides (<c>hidden</c>, <c>hidden_ops</c>, <c>hidden_before_residual</c>) and
/// the source op of its output (<c>source_op</c>), so that the model still knows every tensor's shape and producer.
/// </summary>
internal static class FusedOps
{
    /// <summary>The domain of fused ops.</summary>
    public const string Domain = "com.nativecam";

    /// <summary>Conv + bias + residual + activation.</summary>
    public const string FusedConv = "FusedConv";

    /// <summary>x·σ(x).</summary>
    public const string Silu = "Silu";

    /// <summary>A STRING attribute.</summary>
    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AT.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A STRINGS attribute.</summary>
    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var a = new AttributeProto { Name = name, Type = AT.Strings };
        a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return a;
    }

    /// <summary>An INTS attribute.</summary>
    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AT.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>Doubles as a TENSOR attribute (float attributes would round Clip bounds of float64 models).</summary>
    public static AttributeProto Doubles(string name, IEnumerable<double> values)
    {
        var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Double };
        t.DoubleData.AddRange(values);
        t.Dims.Add(t.DoubleData.Count);
        return new AttributeProto { Name = name, Type = AT.Tensor, T = t };
    }

    /// <summary>Writes a node's fusion record (hidden tensors, source op) into its attributes.</summary>
    public static void WriteRecord(IrNode n)
    {
        n.SetAttribute(Strings("hidden", n.Hidden.Select(h => h.Name)));
        n.SetAttribute(Strings("hidden_ops", n.Hidden.Select(h => h.Op)));
        n.SetAttribute(Ints("hidden_before_residual", n.Hidden.Select(h => h.BeforeResidual ? 1L : 0L)));
        if (n.SourceOp is { } op) n.SetAttribute(String("source_op", op));
    }
}
