using NativeCam.Engine;
using NativeCam.Kernels;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// What an op handler sees of one node: its inputs (known or run-time), attributes, opset, and the two ways to
/// produce outputs — <see cref="SetConstant"/> for data known at import, <see cref="Emit(int[], Func{Tensor?[], Tensor[]})"/> for a run-time
/// computation written with Engine tensor ops (run once at import on shapes-only tensors to fix the output shapes; folded to a constant
/// when every input it reads is known).
/// </summary>
internal sealed class NodeContext
{
    private readonly OnnxImporter _importer;

    public NodeContext(OnnxImporter importer, NodeProto node, int index, int opset)
    {
        _importer = importer;
        Node = node;
        Index = index;
        Opset = opset;
        Attributes = new AttributeReader(this);
    }

    /// <summary>The node.</summary>
    public NodeProto Node { get; }

    /// <summary>The model file (for messages and for locating external data).</summary>
    public string File => _importer.File;

    /// <summary>Its index in the graph's node list.</summary>
    public int Index { get; }

    /// <summary>The opset version of the node's domain.</summary>
    public int Opset { get; }

    /// <summary>Attributes.</summary>
    public AttributeReader Attributes { get; }

    /// <summary>Import options (limits, dtype).</summary>
    public OnnxImportOptions Options => _importer.Options;

    /// <summary>The run-time float type.</summary>
    public DType DType => _importer.Options.DType;

    /// <summary>Number of inputs, trailing omitted ones excluded.</summary>
    public int InputCount
    {
        get
        {
            int n = Node.Input.Count;
            while (n > 0 && Node.Input[n - 1].Length == 0) n--;
            return n;
        }
    }

    /// <summary>True when input <paramref name="i"/> is present (not omitted).</summary>
    public bool HasInput(int i) => i < Node.Input.Count && Node.Input[i].Length > 0;

    /// <summary>Input <paramref name="i"/>.</summary>
    public ImportValue Input(int i) =>
        HasInput(i) ? _importer.Lookup(Node.Input[i], this) : throw Fail($"input {i} is required");

    /// <summary>Input <paramref name="i"/>'s data, which must be known at import (a shape, axes, indices, weights).</summary>
    public ConstantData Constant(int i, string what) =>
        Input(i).Constant ?? throw Unsupported($"input {i} ({what}) must be known at import; it is computed at run time");

    /// <summary>Input <paramref name="i"/> as integers known at import.</summary>
    public long[] Ints(int i, string what) => Constant(i, what).AsLongs();

    /// <summary>
    /// Something derived from input <paramref name="input"/>'s known data alone (e.g. dequantised weights): made once
    /// and shared by the builds of this model for other batch sizes.
    /// </summary>
    public T Shared<T>(ConstantData data, int input, Func<T> make) where T : class =>
        _importer.Source is { } s ? s.Derived(data, Node.Output.FirstOrDefault(o => o.Length > 0) ?? Index.ToString(), input, make) : make();

    /// <summary>Checks the input count.</summary>
    public void ExpectInputs(int min, int max)
    {
        int n = InputCount;
        if (n < min || n > max)
            throw Fail(min == max ? $"expects {min} inputs, has {n}" : $"expects {min} to {max} inputs, has {n}");
    }

    /// <summary>Sets output <paramref name="i"/> to data known at import.</summary>
    public void SetConstant(int i, ConstantData data)
    {
        CheckSize(data.Length, i);
        _importer.Define(Node.Output[i], ImportValue.Known(Node.Output[i], data), this);
    }

    /// <summary>
    /// Output(s) computed at run time from the listed inputs (known float inputs arrive as tensors; omitted inputs as
    /// null). <paramref name="compute"/> must use Engine tensor ops only, so it differentiates.
    /// </summary>
    public void Emit(int[] inputs, Func<Tensor?[], Tensor[]> compute) => _importer.Emit(this, inputs, compute);

    /// <summary>One output computed at run time from the listed inputs.</summary>
    public void Emit(int[] inputs, Func<Tensor?[], Tensor> compute) => _importer.Emit(this, inputs, a => [compute(a)]);

    /// <summary>
    /// One output computed at run time from the listed inputs followed by constants derived at import (dequantised
    /// weights), which become graph constants under the given names, so that tools that rewrite a model's weights
    /// (model randomisation) see them. <paramref name="compute"/> gets the inputs, then the constants.
    /// </summary>
    public void Emit(int[] inputs, (string Name, ConstantData Data)[] derived, Func<Tensor?[], Tensor> compute) =>
        _importer.Emit(this, inputs, derived, a => [compute(a)]);

    /// <summary>The shape of output <paramref name="i"/> (after it is defined).</summary>
    public int[] OutputShape(int i) => _importer.Lookup(Node.Output[i], this).Shape;

    /// <summary>Records a source tensor computed inside this (fused) node and not materialised.</summary>
    public void DefineHidden(string name, string op, int[] shape) => _importer.DefineHidden(name, op, shape, this);

    /// <summary>Records the source op that produced <paramref name="name"/> (a fused node's output).</summary>
    public void SetProducer(string name, string op) => _importer.SetProducer(name, op);

    /// <summary>Fails when an element count passes the limit (before anything that large is made).</summary>
    public void CheckSize(long elements, int output = 0)
    {
        if (elements > Options.MaxTensorElements || elements < 0)
            throw Fail($"output {output} would have {elements} elements, more than the limit of {Options.MaxTensorElements}");
    }

    /// <summary>A validation error naming this node.</summary>
    public OnnxValidationException Fail(string rule, string? tensor = null) =>
        new(_importer.File, rule, Index, Node.Name, Node.OpType, tensor);

    /// <summary>An unsupported-feature error naming this node.</summary>
    public OnnxUnsupportedException Unsupported(string rule) =>
        new(_importer.File, rule, Index, Node.Name, Node.OpType);

    /// <summary>Normalises an axis against a rank (negative counts from the end).</summary>
    public int Axis(long axis, int rank, string what = "axis")
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Fail($"{what} {axis} is out of range for rank {rank}");
        return (int)a;
    }
}
