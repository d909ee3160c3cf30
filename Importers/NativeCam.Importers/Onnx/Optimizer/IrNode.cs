using Onnx;

namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// A tensor of the source graph that a fused node computes internally and does not materialise (e.g. a Conv output
/// followed by its ReLU). <paramref name="BeforeResidual"/>: it has the convolution's output shape (it comes before
/// a fused residual Add, which may broadcast); otherwise the node's output shape.
/// </summary>
internal sealed record HiddenTensor(string Name, string Op, bool BeforeResidual);

/// <summary>One node of the optimizer's mutable graph: an ONNX node plus what fusion folded into it.</summary>
internal sealed class IrNode
{
    public IrNode(string name, string domain, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<AttributeProto> attributes)
    {
        Name = name;
        Domain = domain;
        OpType = opType;
        Inputs = [.. inputs];
        Outputs = [.. outputs];
        Attributes = [.. attributes];
    }

    /// <summary>The node name (fused nodes keep their first source node's).</summary>
    public string Name { get; set; }

    /// <summary>"" for ai.onnx, <see cref="FusedOps.Domain"/> for fused ops.</summary>
    public string Domain { get; set; }

    /// <summary>The op type.</summary>
    public string OpType { get; set; }

    /// <summary>Input names ("" = omitted).</summary>
    public List<string> Inputs { get; }

    /// <summary>Output names.</summary>
    public List<string> Outputs { get; }

    /// <summary>Attributes (ONNX protos, shared with the source model: never mutate one, replace it).</summary>
    public List<AttributeProto> Attributes { get; }

    /// <summary>Source-graph tensors computed inside this node and not materialised.</summary>
    public List<HiddenTensor> Hidden { get; } = [];

    /// <summary>The op type of the source node that produced output 0 (differs from <see cref="OpType"/> after fusion).</summary>
    public string? SourceOp { get; set; }

    /// <summary>True for an op of the standard domain.</summary>
    public bool Is(string op) => Domain.Length == 0 && OpType == op;

    /// <summary>True for a fused op.</summary>
    public bool IsFused(string op) => Domain == FusedOps.Domain && OpType == op;

    /// <summary>An attribute, or null.</summary>
    public AttributeProto? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    /// <summary>Sets (replaces or adds) an attribute.</summary>
    public void SetAttribute(AttributeProto a)
    {
        Attributes.RemoveAll(x => x.Name == a.Name);
        Attributes.Add(a);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({(Domain.Length > 0 ? Domain + ":" : "")}{OpType})";
}
