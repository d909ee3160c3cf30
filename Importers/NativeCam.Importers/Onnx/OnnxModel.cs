using System.Collections.Concurrent;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx.Optimizer;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// An imported ONNX model: an Engine graph whose tensors keep their ONNX names, built for one input shape.
/// </summary>
public sealed class OnnxModel
{
    private readonly ModelProto _proto;
    private readonly ConcurrentDictionary<string, Lazy<OnnxModel>> _kept = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)>? _sourceNodes;
    private HashSet<string>? _sourceOutputs;

    internal OnnxModel(string file, ModelProto proto, OnnxImportOptions options, ComputeGraph graph, string inputName,
        int[] inputShape, string outputName, IReadOnlyDictionary<string, int[]> shapes, IReadOnlyDictionary<string, string> producers)
    {
        File = file;
        _proto = proto;
        Options = options;
        Graph = graph;
        Executor = new GraphExecutor(graph);
        InputName = inputName;
        InputShape = inputShape;
        OutputName = outputName;
        TensorShapes = shapes;
        Producers = producers;
    }

    /// <summary>Loads and imports a model file.</summary>
    /// <param name="path">The .onnx file (read-only; external data must sit in its folder).</param>
    /// <param name="options">Input shape, dtype, limits.</param>
    /// <exception cref="OnnxImportException">The file is unreadable, malformed, or uses something unsupported.</exception>
    public static OnnxModel Load(string path, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        return Import(path, OnnxModelReader.Read(path, o), o);
    }

    /// <summary>
    /// Imports <paramref name="proto"/>, optimised unless <see cref="OnnxImportOptions.Optimize"/> is off. When the
    /// optimised graph fails to import, the source is imported instead, so errors name the file's own nodes.
    /// </summary>
    internal static OnnxModel Import(string file, ModelProto proto, OnnxImportOptions options)
    {
        (ModelProto Model, GraphOptimizer.Report Report)? optimized = null;
        try { if (options.Optimize) optimized = GraphOptimizer.Optimize(proto, file, options); }
        catch (Exception e) when (e is not OutOfMemoryException) { /* a file the passes cannot read is imported as it is */ }
        if (optimized is { } o)
        {
            try { return new OnnxImporter(file, options) { Source = proto }.Import(o.Model); }
            catch (OnnxImportException) { /* the source import below reports the error against the file's nodes */ }
        }
        return new OnnxImporter(file, options).Import(proto);
    }

    /// <summary>
    /// Imports a model held in memory (e.g. an embedded resource). External data is not allowed: there is no
    /// folder to read it from.
    /// </summary>
    /// <param name="bytes">The .onnx file's bytes.</param>
    /// <param name="name">A name for messages.</param>
    public static OnnxModel Load(byte[] bytes, string name, OnnxImportOptions? options = null)
    {
        var o = options ?? new OnnxImportOptions();
        var virtualPath = Path.Combine(Path.GetTempPath(), "nativecam-in-memory-" + Guid.NewGuid().ToString("N"), Path.GetFileName(name));
        return Import(virtualPath, OnnxModelReader.Parse(bytes, virtualPath, o), o);
    }

    /// <summary>The model file.</summary>
    public string File { get; }

    /// <summary>The options it was imported with.</summary>
    public OnnxImportOptions Options { get; }

    /// <summary>The graph.</summary>
    public ComputeGraph Graph { get; }

    /// <summary>An executor over <see cref="Graph"/>.</summary>
    public GraphExecutor Executor { get; }

    /// <summary>The input's name.</summary>
    public string InputName { get; }

    /// <summary>The input shape the graph was built for, e.g. [1, 3, 224, 224].</summary>
    public int[] InputShape { get; }

    /// <summary>The (first) output's name, e.g. the logits.</summary>
    public string OutputName { get; }

    /// <summary>The shape of every run-time tensor, by ONNX name.</summary>
    public IReadOnlyDictionary<string, int[]> TensorShapes { get; }

    /// <summary>The op type that produced every tensor, by ONNX name.</summary>
    public IReadOnlyDictionary<string, string> Producers { get; }

    /// <summary>The parsed model file.</summary>
    internal ModelProto Proto => _proto;

    /// <summary>The shape of every value the import saw, constants (initializers, folded tensors) included.</summary>
    internal IReadOnlyDictionary<string, int[]> ValueShapes { get; init; } = new Dictionary<string, int[]>();

    /// <summary>The same model imported for another input shape (e.g. another batch size).</summary>
    public OnnxModel WithInputShape(int[] shape) => Import(File, _proto, Options with { InputShape = shape });

    /// <summary>
    /// Run-time tensors of the source graph (materialised in <see cref="Graph"/> or hidden by fusion), not the
    /// constants folded at import.
    /// </summary>
    public IReadOnlySet<string> RuntimeTensors { get; init; } = new HashSet<string>();

    /// <summary>
    /// The same model with <paramref name="tensors"/> materialised as well (optimised with them kept), e.g. the CAM
    /// target layers a probe reads. This model when it already computes them all; otherwise imported once per set
    /// and cached (thread-safe). Names the source graph does not compute at run time (unknown names, constants
    /// folded at import) are ignored here.
    /// </summary>
    public OnnxModel WithKept(IEnumerable<string> tensors)
    {
        if (!Options.Optimize) return this;
        _sourceOutputs ??= _proto.Graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var requested = Options.KeepTensors ?? [];
        // hidden by fusion, or never imported (a dead node's output); not a folded constant, not asked for already
        var missing = tensors.Where(t => !Graph.Defines(t) && _sourceOutputs.Contains(t) && (RuntimeTensors.Contains(t) || !ValueShapes.ContainsKey(t))
                && !requested.Contains(t))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0) return this;
        var keep = requested.Concat(missing).Distinct().Order(StringComparer.Ordinal).ToArray();
        var key = string.Join("\n", keep);
        return _kept.GetOrAdd(key, _ => new Lazy<OnnxModel>(() => Import(File, _proto, Options with { KeepTensors = keep }))).Value;
    }

    /// <summary>
    /// The run-time nodes of the source graph (before optimisation) in topological order: op type, inputs, outputs.
    /// Layer listings read this, so that tensors hidden by fusion are still offered.
    /// </summary>
    public IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)> SourceNodes => _sourceNodes ??= ListSourceNodes();

    private List<(string Op, string[] Inputs, string[] Outputs)> ListSourceNodes()
    {
        var ir = IrGraph.Build(_proto, [], new TensorDecoder(File, Options));
        var nodes = ir is null
            ? _proto.Graph.Node.Select(n => (n.OpType, n.Input.ToArray(), n.Output.ToArray()))
            : ir.Nodes.Select(n => (n.OpType, n.Inputs.ToArray(), n.Outputs.ToArray()));
        return nodes.Where(n => n.Item3.Any(RuntimeTensors.Contains)).ToList();
    }

    /// <summary>
    /// Computes <paramref name="fetch"/> from tensors given by name (the input, or intermediates such as a target
    /// layer A and the side inputs of the head after it), on the graph that materialises every name given or
    /// fetched (<see cref="WithKept"/>): given an intermediate, only the part downstream of it runs.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Evaluate(IReadOnlyDictionary<string, Tensor> given, IEnumerable<string> fetch)
    {
        var names = fetch.ToArray();
        return WithKept(given.Keys.Concat(names)).Executor.Evaluate(given, names);
    }

    /// <summary>The output for one input.</summary>
    /// <param name="input">Shaped like <see cref="InputShape"/>.</param>
    public Tensor Run(Tensor input) => Run(input, OutputName)[OutputName];

    /// <summary>Named tensors (any intermediates) for one input.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor input, params string[] fetch)
    {
        if (!input.Shape.AsSpan().SequenceEqual(InputShape))
            throw new ArgumentException($"input shape [{string.Join(", ", input.Shape)}] differs from the shape the model was imported for [{string.Join(", ", InputShape)}]; use WithInputShape");
        if (fetch.Any(f => !Graph.Defines(f)) && WithKept(fetch) is var kept && kept != this) return kept.Run(input, fetch);
        return Executor.Evaluate(new Dictionary<string, Tensor> { [InputName] = input }, fetch);
    }
}
