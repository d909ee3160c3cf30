using Onnx;

namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// The optimizer's mutable view of an ONNX graph: nodes in the importer's topological order, initializers, the graph
/// inputs and outputs, and the tensors that must stay materialised (<see cref="Kept"/>). Passes rewrite it; then
/// <see cref="ToModel"/> writes a model the importer translates like any other.
/// </summary>
internal sealed class IrGraph
{
    private readonly Dictionary<string, IrNode> _producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _uses = new(StringComparer.Ordinal);
    private readonly List<HashSet<string>> _regions = [];
    private readonly List<string> _initializerOrder;
    private int _fresh;

    private IrGraph(List<IrNode> nodes, Dictionary<string, TensorProto> initializers, List<string> initializerOrder,
        HashSet<string> graphInputs, string[] outputs, HashSet<string> kept, int opset, TensorDecoder decoder)
    {
        Nodes = nodes;
        Initializers = initializers;
        _initializerOrder = initializerOrder;
        GraphInputs = graphInputs;
        Outputs = outputs;
        Kept = kept;
        Opset = opset;
        Decoder = decoder;
        Reindex();
        // one region per kept intermediate: the tensors computed from it. A fused node must lie wholly inside or
        // wholly outside each, so the sub-graph downstream of a kept tensor reads the same side inputs as before.
        foreach (var k in kept.Where(k => !outputs.Contains(k) && _producer.ContainsKey(k)))
        {
            var down = new HashSet<string>(StringComparer.Ordinal) { k };
            foreach (var n in nodes)
                if (n.Inputs.Any(down.Contains)) foreach (var o in n.Outputs) if (o.Length > 0) down.Add(o);
            _regions.Add(down);
        }
    }

    /// <summary>Nodes in topological order.</summary>
    public List<IrNode> Nodes { get; }

    /// <summary>Initializers by name.</summary>
    public Dictionary<string, TensorProto> Initializers { get; }

    /// <summary>Names listed as graph inputs (the data input, and initializers in IR &lt; 4 files).</summary>
    public HashSet<string> GraphInputs { get; }

    /// <summary>The graph outputs.</summary>
    public string[] Outputs { get; }

    /// <summary>Tensors that stay materialised: the graph outputs and every requested tensor.</summary>
    public HashSet<string> Kept { get; }

    /// <summary>The opset version of the standard domain.</summary>
    public int Opset { get; }

    /// <summary>Decodes initializers and Constant values.</summary>
    public TensorDecoder Decoder { get; }

    /// <summary>
    /// The graph of <paramref name="model"/>, or null when it is malformed in a way the importer reports (a name
    /// defined twice, an undefined input, a cycle, a node without outputs): then the model is imported as it is.
    /// </summary>
    public static IrGraph? Build(ModelProto model, IEnumerable<string> keep, TensorDecoder decoder)
    {
        var g = model.Graph;
        if (g is null) return null;
        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var t in g.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name) || !initializers.TryAdd(t.Name, t)) return null;
            order.Add(t.Name);
        }
        var defined = new HashSet<string>(initializers.Keys, StringComparer.Ordinal);
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in g.Input)
        {
            if (string.IsNullOrEmpty(i.Name) || !inputs.Add(i.Name)) return null;
            defined.Add(i.Name);
        }
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < g.Node.Count; i++)
        {
            if (g.Node[i].Output.All(o => o.Length == 0)) return null;
            foreach (var o in g.Node[i].Output)
                if (o.Length > 0 && (defined.Contains(o) || !producer.TryAdd(o, i))) return null;
        }
        // the importer's order
        if (NodeOrder.DepthFirst(g, defined.Contains, producer, out _) is not { } nodeOrder) return null;
        var sorted = nodeOrder.Select(n => g.Node[n])
            .Select(node => new IrNode(node.Name, OnnxModelReader.NormalizeDomain(node.Domain), node.OpType, node.Input, node.Output, node.Attribute)).ToList();
        var outputs = g.Output.Select(o => o.Name).ToArray();
        if (outputs.Any(o => string.IsNullOrEmpty(o) || !producer.ContainsKey(o))) return null;
        var kept = new HashSet<string>(outputs, StringComparer.Ordinal);
        foreach (var k in keep) kept.Add(k);
        int opset = (int)Math.Clamp(model.OpsetImport.FirstOrDefault(o => OnnxModelReader.NormalizeDomain(o.Domain).Length == 0)?.Version ?? 0, 0, int.MaxValue);
        return new IrGraph(sorted, initializers, order, inputs, outputs, kept, opset, decoder);
    }

    /// <summary>Rebuilds the producer and use counts after a rewrite.</summary>
    public void Reindex()
    {
        _producer.Clear();
        _uses.Clear();
        foreach (var n in Nodes)
        {
            foreach (var o in n.Outputs) if (o.Length > 0) _producer[o] = n;
            foreach (var i in n.Inputs) if (i.Length > 0) _uses[i] = _uses.GetValueOrDefault(i) + 1;
        }
    }

    /// <summary>The node producing a tensor, or null (inputs, initializers).</summary>
    public IrNode? Producer(string tensor) => _producer.GetValueOrDefault(tensor);

    /// <summary>How many node inputs read a tensor.</summary>
    public int Uses(string tensor) => _uses.GetValueOrDefault(tensor);

    /// <summary>True when a node may compute <paramref name="tensor"/> internally: not kept, read once, by
    /// <paramref name="consumer"/>, and both on the same side of every kept tensor.</summary>
    public bool CanHide(string tensor, IrNode consumer) =>
        !Kept.Contains(tensor) && Uses(tensor) == 1 && _producer.ContainsKey(tensor)
        && consumer.Outputs.Count > 0 && SameRegion(tensor, consumer.Outputs[0]);

    /// <summary>True when no kept tensor has one of the two downstream of it and not the other.</summary>
    public bool SameRegion(string a, string b) => _regions.All(r => r.Contains(a) == r.Contains(b));

    /// <summary>A float initializer's values, or null (not an initializer, not float, undecodable).</summary>
    public ConstantData? Initializer(string name)
    {
        if (!Initializers.TryGetValue(name, out var t)) return null;
        try { return Decoder.Decode(t) is { IsFloat: true } c ? c : null; }
        catch (OnnxImportException) { return null; }
    }

    /// <summary>A float scalar known at import (initializer or Constant node), or null.</summary>
    public double? Scalar(string name)
    {
        var c = Initializer(name);
        if (c is null && Producer(name) is { } p && p.Is("Constant") && p.Attributes.Count == 1 && p.Attributes[0] is { Name: "value", T: { } t })
        {
            try { c = Decoder.Decode(t); } catch (OnnxImportException) { c = null; }
        }
        return c is { IsFloat: true, Length: 1 } && c.Shape.Length <= 1 ? c.Floats![0] : null;
    }

    /// <summary>Adds a float64 initializer under a fresh name derived from <paramref name="basis"/>.</summary>
    public string AddInitializer(string basis, double[] values, int[] shape)
    {
        string name;
        do name = $"{basis}__opt{_fresh++}"; while (Initializers.ContainsKey(name) || _producer.ContainsKey(name) || GraphInputs.Contains(name));
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Double };
        t.Dims.AddRange(shape.Select(d => (long)d));
        t.DoubleData.AddRange(values);
        Initializers[name] = t;
        _initializerOrder.Add(name);
        return name;
    }

    /// <summary>The model with this graph: nodes, initializers still read (or listed as inputs), and the fused
    /// ops' domain imported.</summary>
    public ModelProto ToModel(ModelProto source)
    {
        var m = source.Clone();
        var g = m.Graph;
        g.Node.Clear();
        foreach (var n in Nodes)
        {
            if (n.Domain == FusedOps.Domain) FusedOps.WriteRecord(n);
            var p = new NodeProto { Name = n.Name, OpType = n.OpType, Domain = n.Domain };
            p.Input.AddRange(n.Inputs);
            p.Output.AddRange(n.Outputs);
            p.Attribute.AddRange(n.Attributes);
            g.Node.Add(p);
        }
        var read = new HashSet<string>(Nodes.SelectMany(n => n.Inputs), StringComparer.Ordinal);
        g.Initializer.Clear();
        foreach (var name in _initializerOrder)
            if (Initializers.TryGetValue(name, out var t) && (read.Contains(name) || GraphInputs.Contains(name))) g.Initializer.Add(t);
        if (Nodes.Any(n => n.Domain == FusedOps.Domain) && m.OpsetImport.All(o => o.Domain != FusedOps.Domain))
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = FusedOps.Domain, Version = 1 });
        return m;
    }
}
