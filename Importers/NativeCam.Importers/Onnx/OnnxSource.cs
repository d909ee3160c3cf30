using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx.Optimizer;
using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>A parsed ONNX file and its import options: builds the Engine model for any input shape, from the graph
/// optimised once (unless <see cref="OnnxImportOptions.Optimize"/> is off) with the options' kept tensors.
/// Builds for several batch sizes share what does not depend on the input shape: the optimised graph, decoded
/// initializers and their run-time tensors; builds that keep other tensors (<see cref="Keeping"/>) share the decoded
/// initializers and their tensors too (<see cref="DecodedWeights"/>).</summary>
internal sealed class OnnxSource : IModelSource
{
    private readonly Lazy<ModelProto?> _optimized;
    private HashSet<string>? _sourceOutputs;

    /// <summary>A source of <paramref name="proto"/>, sharing <paramref name="weights"/> (default: its own).</summary>
    public OnnxSource(string file, ModelProto proto, OnnxImportOptions options, DecodedWeights? weights = null)
    {
        File = file;
        Proto = proto;
        Options = options;
        Weights = weights ?? new DecodedWeights();
        _optimized = new(() => Optimized(File, Proto, Options, Weights));
    }

    /// <summary>Decoded weights, shared with the sources of other kept-tensor sets.</summary>
    public DecodedWeights Weights { get; }

    /// <summary>The model file.</summary>
    public string File { get; }

    /// <summary>The parsed file.</summary>
    public ModelProto Proto { get; }

    /// <summary>The options of the first import.</summary>
    public OnnxImportOptions Options { get; }

    /// <summary>
    /// The model for <paramref name="inputShape"/> (null: the declared shape, batch 1 when symbolic). When the
    /// optimised graph fails to import, the source is imported as it is, so errors name the file's own nodes.
    /// </summary>
    public Model Build(int[]? inputShape)
    {
        var o = Options with { InputShape = inputShape ?? Options.InputShape };
        if (_optimized.Value is not { } optimized) return new OnnxImporter(File, o, this).Import(Proto);
        try { return new OnnxImporter(File, o, this).Import(optimized); }
        catch (OnnxImportException)
        {
            // a fresh source: this one's caches hold the optimised graph's (possibly folded) initializers
            return new OnnxSource(File, Proto, Options with { Optimize = false }, Weights).Build(inputShape);
        }
    }

    private static ModelProto? Optimized(string file, ModelProto proto, OnnxImportOptions options, DecodedWeights weights)
    {
        if (!options.Optimize) return null;
        try { return GraphOptimizer.Optimize(proto, file, options, decoder: new TensorDecoder(file, options, weights))?.Model; }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; /* a file the passes cannot read is imported as it is */ }
    }

    /// <inheritdoc/>
    public string[]? KeepFor(Model model, IEnumerable<string> tensors)
    {
        if (!Options.Optimize) return null;
        _sourceOutputs ??= Proto.Graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        var requested = Options.KeepTensors ?? [];
        // hidden by fusion, or never imported (a dead node's output); not a folded constant, not asked for already
        var missing = tensors.Where(t => !model.Graph.Defines(t) && _sourceOutputs.Contains(t)
                && (model.RuntimeTensors.Contains(t) || !model.ValueShapes.ContainsKey(t)) && !requested.Contains(t))
            .Distinct().ToArray();
        return missing.Length == 0 ? null : requested.Concat(missing).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc/>
    public IModelSource Keeping(string[] keep) => new OnnxSource(File, Proto, Options with { KeepTensors = keep }, Weights);

    /// <inheritdoc/>
    public IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)> SourceNodes(Model model)
    {
        var ir = IrGraph.Build(Proto, [], new TensorDecoder(File, Options, Weights));
        var nodes = ir is null
            ? Proto.Graph.Node.Select(n => (n.OpType, n.Input.ToArray(), n.Output.ToArray()))
            : ir.Nodes.Select(n => (n.OpType, n.Inputs.ToArray(), n.Outputs.ToArray()));
        return nodes.Where(n => n.Item3.Any(model.RuntimeTensors.Contains)).ToList();
    }

    /// <inheritdoc/>
    Model IModelSource.Build(int[] inputShape) => Build(inputShape);

    /// <summary>The run-time tensor of known data, made once per data object (initializers are shared by builds).</summary>
    public Tensor ConstantTensor(ConstantData data, Func<Tensor> make) => Weights.ConstantTensor(data, make);

    /// <summary>Something derived from known data for one node input, made once.</summary>
    public T Derived<T>(ConstantData data, string node, int input, Func<T> make) where T : class => Weights.Derived(data, node, input, make);

    /// <inheritdoc/>
    public IReadOnlyList<LayerFlops> Layers(Model model) => ModelFlops.Layers(model);
}
