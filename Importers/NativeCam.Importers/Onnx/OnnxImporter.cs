using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// Turns a parsed ONNX model into an Engine <see cref="ComputeGraph"/> for one input shape. Every node is handled
/// once, in topological order: data known at import is folded (shape sub-graphs, constants), everything else
/// becomes a graph node that keeps its ONNX output names. Each run-time node is evaluated once on tensors of
/// <see cref="ShapeKernels"/>, which carry shapes and no data: that fixes every shape (so later Shape/Reshape
/// arithmetic folds) without arithmetic on activations, so a build for another batch size costs no forward pass.
/// </summary>
internal sealed class OnnxImporter
{
    private readonly Dictionary<string, ImportValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _constants = new(StringComparer.Ordinal);
    private readonly List<GraphNode> _nodes = [];
    private readonly Dictionary<string, string> _producerOp = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _opsets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _hidden = new(StringComparer.Ordinal);
    private int _batch;
    private string? _batchCoupling; // the first node that couples batch items (see Model.BatchCoupling)

    private readonly OnnxSource? _source;

    public OnnxImporter(string file, OnnxImportOptions options, OnnxSource? source = null)
    {
        _source = source;
        File = file;
        Options = options;
        Backend = options.Backend ?? Tensor.DefaultBackend;
    }

    /// <summary>What the model is built from (shared between batch sizes), if anything.</summary>
    public OnnxSource? Source => _source;

    /// <summary>The model file (for messages).</summary>
    public string File { get; }

    /// <summary>Options.</summary>
    public OnnxImportOptions Options { get; }

    /// <summary>The backend of run-time tensors.</summary>
    public IKernels Backend { get; }

    /// <summary>
    /// Where data known at import is folded (in float64): the CPU on one thread, whatever the run-time backend, so
    /// the run-time backend does no arithmetic at import and folded values do not depend on the thread count.
    /// </summary>
    public static IKernels FoldBackend { get; } = new CpuKernels(threads: 1);

    /// <summary>Imports <paramref name="model"/>.</summary>
    public Model Import(ModelProto model)
    {
        // OnnxModelReader has checked the entries (each domain once, versions within int range)
        foreach (var o in model.OpsetImport) _opsets[OnnxModelReader.NormalizeDomain(o.Domain)] = (int)Math.Clamp(o.Version, 0, int.MaxValue);
        var g = model.Graph;
        var decoder = new TensorDecoder(File, Options, _source?.Weights);

        foreach (var init in g.Initializer)
        {
            if (string.IsNullOrEmpty(init.Name)) throw new OnnxValidationException(File, "an initializer has no name");
            if (_values.ContainsKey(init.Name)) throw new OnnxValidationException(File, "the initializer name is used twice", tensorName: init.Name);
            _values[init.Name] = ImportValue.Known(init.Name, decoder.DecodeInitializer(init));
        }

        // IR < 4 lists initializers among the inputs: the real input is the one without data
        var inputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in g.Input)
        {
            if (string.IsNullOrEmpty(i.Name)) throw new OnnxValidationException(File, "a graph input has no name");
            if (!inputNames.Add(i.Name)) throw new OnnxValidationException(File, "the graph input is listed twice", tensorName: i.Name);
            if (_values.TryGetValue(i.Name, out var init)) CheckDeclaredShape(i, init.Shape);
        }
        var inputs = g.Input.Where(i => !_values.ContainsKey(i.Name)).ToArray();
        if (g.Input.Count == 0) throw new OnnxValidationException(File, "the graph has no inputs");
        if (inputs.Length == 0)
            throw new OnnxValidationException(File, "every graph input has an initializer of the same name, so none is left for the image; the image input must not have one",
                tensorName: g.Input[0].Name);
        if (inputs.Length != 1)
            throw new OnnxUnsupportedException(File, $"the graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); an image classifier has one");
        var input = inputs[0];
        CheckInputType(input);
        var inputShape = InputShape(input);
        _batch = inputShape[0];
        var example = Tensor.Zeros(inputShape, Options.DType, ShapeKernels.Instance);
        _values[input.Name] = ImportValue.Runtime(input.Name, example);
        _producerOp[input.Name] = "Input";

        var order = TopologicalOrder(g);
        foreach (int i in order)
        {
            var node = g.Node[i];
            int opset = _opsets.TryGetValue(OnnxModelReader.NormalizeDomain(node.Domain), out int v) ? v
                : throw new OnnxUnsupportedException(File, $"domain '{node.Domain}' is not imported by the model's opset_import", i, node.Name, node.OpType);
            var ctx = new NodeContext(this, node, i, opset);
            if (node.Output.Count == 0 || node.Output.All(o => o.Length == 0)) throw ctx.Fail("the node has no outputs");
            CheckAttributes(ctx);
            var handler = OpHandlers.Find(node.Domain, node.OpType)
                ?? throw new OnnxUnsupportedException(File,
                    $"op '{node.OpType}' of domain '{(node.Domain.Length == 0 ? "ai.onnx" : node.Domain)}' (opset {opset}) is not supported", i, node.Name, node.OpType);
            try { handler(ctx); }
            catch (OnnxImportException e) when (e.File != File) { throw Relocate(e, i, node); }
            catch (OnnxImportException) { throw; }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException
                                          or ArithmeticException or KeyNotFoundException or FormatException or InvalidCastException or RankException
                                          or GraphException or IOException or UnauthorizedAccessException)
            {
                throw new OnnxValidationException(File, e.Message, i, node.Name, node.OpType, inner: e);
            }
        }

        var outputs = g.Output.Select(o => o.Name).ToArray();
        if (outputs.Length == 0) throw new OnnxValidationException(File, "the graph has no outputs");
        var outputNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in outputs)
        {
            if (string.IsNullOrEmpty(o)) throw new OnnxValidationException(File, "a graph output has no name");
            if (!outputNames.Add(o)) throw new OnnxValidationException(File, "the graph output is listed twice", tensorName: o);
            if (!_values.TryGetValue(o, out var val)) throw new OnnxValidationException(File, "the graph output is never produced", tensorName: o);
            if (val.IsConstant) throw new OnnxUnsupportedException(File, $"graph output '{o}' does not depend on the input");
        }
        string explained = Options.OutputName ?? outputs[0];
        if (!outputNames.Contains(explained))
            throw new OnnxValidationException(File, $"the requested output is not a graph output (outputs: {string.Join(", ", outputs)})", tensorName: explained);
        ComputeGraph graph;
        try { graph = new ComputeGraph([input.Name], _constants, _nodes, outputs); }
        catch (GraphException e) { throw new OnnxValidationException(File, e.Message, nodeName: e.NodeName, tensorName: e.TensorName, inner: e); }
        var shapes = _values.Where(kv => !kv.Value.IsConstant || _producerOp.ContainsKey(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.Shape, StringComparer.Ordinal);
        foreach (var (name, shape) in _hidden) shapes[name] = shape;
        var runtime = _values.Where(kv => !kv.Value.IsConstant).Select(kv => kv.Key).Concat(_hidden.Keys).ToHashSet(StringComparer.Ordinal);
        return new Model(File, graph, input.Name, inputShape, explained, shapes,
            new Dictionary<string, string>(_producerOp, StringComparer.Ordinal),
            _values.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Shape)).Concat(_hidden).ToDictionary(StringComparer.Ordinal),
            Backend, Options.DType, _source)
        {
            RuntimeTensors = runtime,
            BatchCoupling = _batchCoupling,
        };
    }

    private int[] InputShape(ValueInfoProto input)
    {
        OnnxValidationException Bad(string rule) => new(File, rule, tensorName: input.Name);
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (Options.InputShape is { } given)
        {
            if (dims is not null && dims.Count > 0 && dims.Count != given.Length)
                throw Bad($"the requested input shape [{string.Join(", ", given)}] has rank {given.Length}, the model's input rank {dims.Count}");
            for (int i = 0; i < given.Length; i++)
                if (given[i] <= 0) throw Bad($"the requested input shape [{string.Join(", ", given)}] has dim {i} {(given[i] < 0 ? "negative" : "zero")} ({given[i]})");
            TensorDecoder.Dims(given.Select(d => (long)d).ToList(), Options, r => Bad("the requested input shape: " + r));
            return (int[])given.Clone();
        }
        if (dims is null || dims.Count == 0) throw Bad("the input has no declared shape; give OnnxImportOptions.InputShape");
        var declared = new long[dims.Count];
        for (int i = 0; i < dims.Count; i++)
        {
            var d = dims[i];
            if (d.HasDimValue && d.DimValue < 0) throw Bad($"input dim {i} is negative ({d.DimValue})");
            if (d.HasDimValue && d.DimValue > 0) declared[i] = d.DimValue;
            else if (i == 0) declared[i] = 1; // symbolic (or 0, as some exporters write it) batch
            else if (d.HasDimValue) throw Bad($"input dim {i} is 0; an image input needs positive dims");
            else throw Bad($"input dim {i} is symbolic ('{dims[i].DimParam}'); give OnnxImportOptions.InputShape");
        }
        return TensorDecoder.Dims(declared, Options, Bad);
    }

    /// <summary>The image input must be a float tensor (or leave its type unset).</summary>
    private void CheckInputType(ValueInfoProto input)
    {
        if (input.Type is null || input.Type.ValueCase == TypeProto.ValueOneofCase.None) return;
        if (input.Type.ValueCase != TypeProto.ValueOneofCase.TensorType)
            throw new OnnxUnsupportedException(File, $"the input is a {input.Type.ValueCase}, not a tensor", tensorName: input.Name);
        var t = (TensorProto.Types.DataType)input.Type.TensorType.ElemType;
        if (t is not (TensorProto.Types.DataType.Undefined or TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float16))
            throw new OnnxUnsupportedException(File,
                $"input element type {(Enum.IsDefined(t) ? t.ToString() : ((int)t).ToString())} is not supported (an image input is float, double or float16)", tensorName: input.Name);
    }

    /// <summary>A graph input that also has an initializer (IR 3 style) must not declare a different static shape.</summary>
    private void CheckDeclaredShape(ValueInfoProto input, int[] actual)
    {
        if (input.Type?.TensorType?.Shape is not { } shape) return; // no declared shape
        var dims = shape.Dim;
        bool differs = dims.Count != actual.Length;
        for (int i = 0; !differs && i < dims.Count; i++)
            differs = dims[i].HasDimValue && dims[i].DimValue != actual[i];
        if (differs)
            throw new OnnxValidationException(File,
                $"the declared shape [{string.Join(", ", dims.Select(d => d.HasDimValue ? d.DimValue.ToString() : "?"))}] differs from its initializer's [{string.Join(", ", actual)}]",
                tensorName: input.Name);
    }

    /// <summary>
    /// Largest magnitude of a spatial attribute value (kernel_shape, strides, dilations, pads, …). Far beyond any
    /// real image model, and small enough that window arithmetic in 32-bit ints (dilation × (kernel − 1) + pads +
    /// input size) cannot overflow and slip past the handlers' fit checks.
    /// </summary>
    public const int MaxSpatialAttribute = 1 << 15;

    private static readonly HashSet<string> SpatialAttributes =
        new(["kernel_shape", "strides", "dilations", "pads", "output_padding", "output_shape"], StringComparer.Ordinal);

    /// <summary>
    /// Attribute checks every node gets before its handler: names unique, spatial values within
    /// <see cref="MaxSpatialAttribute"/>, and no external data inside attribute tensors (only initializers may point
    /// at files, resolved against the model's folder).
    /// </summary>
    private static void CheckAttributes(NodeContext ctx)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in ctx.Node.Attribute)
        {
            if (!names.Add(a.Name)) throw ctx.Fail($"attribute '{a.Name}' is given twice");
            if (SpatialAttributes.Contains(a.Name) && a.Ints.FirstOrDefault(v => v is > MaxSpatialAttribute or < -MaxSpatialAttribute) is var bad and not 0)
                throw ctx.Fail($"attribute '{a.Name}' value {bad} is beyond ±{MaxSpatialAttribute}, the importer's limit for kernel, stride, dilation and pad values");
            if (a.T?.DataLocation == TensorProto.Types.DataLocation.External || a.Tensors.Any(t => t.DataLocation == TensorProto.Types.DataLocation.External))
                throw ctx.Unsupported($"attribute '{a.Name}' holds a tensor with external data; only initializers may use external data");
        }
    }

    /// <summary>The same error, naming this model's file (a handler's decoder may have named something else).</summary>
    private OnnxImportException Relocate(OnnxImportException e, int index, NodeProto node)
    {
        int? i = e.NodeIndex ?? index;
        string? name = e.NodeIndex is null ? node.Name : e.NodeName;
        string? op = e.NodeIndex is null ? node.OpType : e.OpType;
        return e switch
        {
            OnnxUnsupportedException => new OnnxUnsupportedException(File, e.Rule, i, name, op, e.TensorName),
            OnnxFormatException => new OnnxFormatException(File, e.Rule, e),
            _ => new OnnxValidationException(File, e.Rule, i, name, op, e.TensorName, e),
        };
    }

    /// <summary>Node indices in an order where every input is defined first (ONNX requires it; we check it).</summary>
    private List<int> TopologicalOrder(GraphProto g)
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < g.Node.Count; i++)
            foreach (var o in g.Node[i].Output)
            {
                if (o.Length == 0) continue;
                if (_values.ContainsKey(o) || !producer.TryAdd(o, i))
                    throw new OnnxValidationException(File, $"output '{o}' is already defined", i, g.Node[i].Name, g.Node[i].OpType, o);
            }
        var order = NodeOrder.DepthFirst(g, _values.ContainsKey, producer, out var failure);
        if (order is null)
        {
            var (n, name, cycle) = failure;
            throw new OnnxValidationException(File, cycle ? $"the graph has a cycle through '{name}'" : $"input '{name}' is not defined by any input, initializer or node",
                n, g.Node[n].Name, g.Node[n].OpType, name);
        }
        return order;
    }

    /// <summary>The value of a tensor name read by a node.</summary>
    public ImportValue Lookup(string name, NodeContext ctx) =>
        _values.TryGetValue(name, out var v) ? v : throw ctx.Fail($"input '{name}' is not defined", name);

    /// <summary>Defines a node output.</summary>
    public void Define(string name, ImportValue value, NodeContext ctx)
    {
        if (name.Length == 0) return;
        if (_values.ContainsKey(name)) throw ctx.Fail($"output '{name}' is already defined", name);
        if (value.Shape.Length > Options.MaxRank) throw ctx.Fail($"output '{name}' has rank {value.Shape.Length}, more than the limit of {Options.MaxRank}", name);
        _values[name] = value;
        _producerOp[name] = ctx.Node.OpType;
    }

    /// <summary>Records a source tensor that a fused node computes without materialising it.</summary>
    public void DefineHidden(string name, string op, int[] shape, NodeContext ctx)
    {
        if (_values.ContainsKey(name) || _hidden.ContainsKey(name)) throw ctx.Fail($"hidden tensor '{name}' is already defined", name);
        _hidden[name] = shape;
        _producerOp[name] = op;
    }

    /// <summary>Overrides the producer op recorded for a tensor (a fused node's output keeps its source op).</summary>
    public void SetProducer(string name, string op) => _producerOp[name] = op;

    /// <summary>A known value as an Engine tensor (registered as a graph constant).</summary>
    private Tensor ConstantTensor(string name, ConstantData data)
    {
        if (_constants.TryGetValue(name, out var t)) return t;
        t = _source is null ? MakeTensor(data) : _source.ConstantTensor(data, () => MakeTensor(data));
        _constants[name] = t;
        return t;
    }

    /// <summary>The run-time tensor of known data: float32 weights share their decoded array (held once); constant,
    /// so that kernels may cache transforms of it.</summary>
    private Tensor MakeTensor(ConstantData data) =>
        (data.Singles is { } s && Options.DType == DType.Float32 ? Tensor.Sharing(s, data.Shape, Backend)
        : Tensor.FromDoubles(data.AsDoubles(), data.Shape, Options.DType, Backend)).MarkConstant();

    /// <summary>See <see cref="NodeContext.Emit(int[], Func{Tensor?[], Tensor[]})"/>.</summary>
    public void Emit(NodeContext ctx, int[] inputIndices, Func<Tensor?[], Tensor[]> compute) =>
        EmitNames(ctx, inputIndices.Select(i => ctx.HasInput(i) ? ctx.Node.Input[i] : "").ToArray(), compute);

    /// <summary>See NodeContext.Emit with derived constants: the derived
    /// constants become graph constants under their names (no producer: they are weights, not activations).</summary>
    public void Emit(NodeContext ctx, int[] inputIndices, (string Name, ConstantData Data)[] derived, Func<Tensor?[], Tensor[]> compute)
    {
        foreach (var (name, data) in derived)
        {
            if (_values.TryGetValue(name, out var existing) && !ReferenceEquals(existing.Constant, data))
                throw ctx.Fail($"derived constant '{name}' is already defined", name);
            _values[name] = ImportValue.Known(name, data);
        }
        EmitNames(ctx, inputIndices.Select(i => ctx.HasInput(i) ? ctx.Node.Input[i] : "").Concat(derived.Select(d => d.Name)).ToArray(), compute);
    }

    private void EmitNames(NodeContext ctx, string[] names, Func<Tensor?[], Tensor[]> compute)
    {
        var values = names.Select(n => n.Length == 0 ? null : Lookup(n, ctx)).ToArray();
        var outputs = ctx.Node.Output.ToArray();

        if (values.All(v => v is null || v.IsConstant))
        {
            // fold: compute now in float64; integer inputs give integer results (shape arithmetic)
            bool integer = values.Any(v => v is { Constant.IsFloat: false });
            var args = values.Select(v => v is null ? null : Tensor.FromDoubles(v.Constant!.AsDoubles(), v.Shape, DType.Float64, FoldBackend)).ToArray();
            var folded = compute(args);
            for (int i = 0; i < outputs.Length && i < folded.Length; i++)
            {
                var d = folded[i].ToArray();
                ctx.SetConstant(i, integer
                    ? ConstantData.OfInts(d.Select(x => (long)Math.Round(x)).ToArray(), folded[i].Shape)
                    : ConstantData.OfFloats(d, folded[i].Shape));
            }
            return;
        }

        // shape inference: known inputs are registered as graph constants and stand in by their shape
        var example = new Tensor?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } v) continue;
            if (v.Constant is { } c) ConstantTensor(v.Name, c);
            example[i] = v.Constant is { } k ? Tensor.Zeros(k.Shape, Options.DType, ShapeKernels.Instance) : v.Example;
        }
        var results = compute(example);
        if (results.Length < outputs.Count(o => o.Length > 0))
            throw ctx.Fail($"produced {results.Length} outputs, the node declares {outputs.Length}");
        for (int i = 0; i < outputs.Length; i++)
        {
            if (outputs[i].Length == 0) continue;
            ctx.CheckSize(results[i].Length, i);
            Define(outputs[i], ImportValue.Runtime(outputs[i], results[i]), ctx);
        }
        _batchCoupling ??= BatchCoupling.Check(ctx, _batch, results);
        string nodeName = string.IsNullOrEmpty(ctx.Node.Name) ? $"{ctx.Node.OpType}_{ctx.Index}" : ctx.Node.Name;
        _nodes.Add(new GraphNode(nodeName, ctx.Node.OpType, names, outputs, compute));
    }
}
