using System.Collections.Concurrent;
using NativeCam.Kernels;

namespace NativeCam.Engine.Graph;

/// <summary>
/// Builds a model's graph for an input shape; given by the importer that translated the model file, so that a
/// <see cref="Model"/> can make itself for another batch size.
/// </summary>
public interface IModelSource
{
    /// <summary>The same model built for <paramref name="inputShape"/>.</summary>
    Model Build(int[] inputShape);

    /// <summary>The convolutions and dense layers of <paramref name="model"/> with their multiply-adds, in source order.</summary>
    IReadOnlyList<LayerFlops> Layers(Model model);

    /// <summary>
    /// The run-time nodes of the source graph (before optimisation) in topological order: op type, inputs, outputs.
    /// Layer listings read this, so that tensors hidden by fusion are still offered.
    /// </summary>
    IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)> SourceNodes(Model model);

    /// <summary>
    /// The tensors a build must keep materialised so that <paramref name="model"/>'s graph also defines
    /// <paramref name="tensors"/> (sorted, the ones kept already included), or null when it defines them all already
    /// or the source does not optimise. Names the source does not compute at run time are ignored.
    /// </summary>
    string[]? KeepFor(Model model, IEnumerable<string> tensors);

    /// <summary>The same source, building graphs that keep <paramref name="keep"/> materialised.</summary>
    IModelSource Keeping(string[] keep);
}

/// <summary>
/// A compiled model: a <see cref="ComputeGraph"/> whose tensors keep their source names, built for one input shape,
/// with the shape and producer of every tensor, its backend and dtype. <see cref="ForBatch"/> gives the same model
/// for another batch size, built once per size and shared by every model of the family.
/// </summary>
public sealed class Model
{
    private readonly IModelSource? _source;
    private readonly ConcurrentDictionary<int, Lazy<Model>> _family;
    private readonly ConcurrentDictionary<string, Lazy<Model>> _kept = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)>? _sourceNodes;

    /// <summary>Creates a model.</summary>
    /// <param name="file">The source file or name (for messages).</param>
    /// <param name="graph">The graph.</param>
    /// <param name="inputName">The input's name.</param>
    /// <param name="inputShape">The input shape the graph is built for.</param>
    /// <param name="outputName">The (first) output's name.</param>
    /// <param name="tensorShapes">The shape of every run-time tensor.</param>
    /// <param name="producers">The op type that produced every run-time tensor ("Input" for the input).</param>
    /// <param name="valueShapes">The shape of every value, constants included.</param>
    /// <param name="backend">The backend of its tensors.</param>
    /// <param name="dtype">The float type of its tensors.</param>
    /// <param name="source">Builds the model for other input shapes (null: only this shape).</param>
    /// <param name="family">The batch sizes already built (shared with the model this one was built from).</param>
    public Model(string file, ComputeGraph graph, string inputName, int[] inputShape, string outputName,
        IReadOnlyDictionary<string, int[]> tensorShapes, IReadOnlyDictionary<string, string> producers,
        IReadOnlyDictionary<string, int[]> valueShapes, IKernels backend, DType dtype, IModelSource? source = null,
        ConcurrentDictionary<int, Lazy<Model>>? family = null)
    {
        if (inputShape.Length == 0) throw new ArgumentException("the input shape has no batch dimension");
        File = file;
        Graph = graph;
        Executor = new GraphExecutor(graph);
        InputName = inputName;
        InputShape = inputShape;
        OutputName = outputName;
        TensorShapes = tensorShapes;
        Producers = producers;
        ValueShapes = valueShapes;
        Backend = backend;
        DType = dtype;
        _source = source;
        _family = family ?? new ConcurrentDictionary<int, Lazy<Model>>();
        _family.TryAdd(inputShape[0], new Lazy<Model>(this));
    }

    /// <summary>The source file or name.</summary>
    public string File { get; }

    /// <summary>The graph.</summary>
    public ComputeGraph Graph { get; }

    /// <summary>An executor over <see cref="Graph"/>.</summary>
    public GraphExecutor Executor { get; }

    /// <summary>The input's name.</summary>
    public string InputName { get; }

    /// <summary>The input shape the graph was built for, e.g. [1, 3, 224, 224].</summary>
    public int[] InputShape { get; }

    /// <summary>The batch size: <see cref="InputShape"/>[0].</summary>
    public int BatchSize => InputShape[0];

    /// <summary>The (first) output's name, e.g. the logits.</summary>
    public string OutputName { get; }

    /// <summary>The shape of every run-time tensor, by name.</summary>
    public IReadOnlyDictionary<string, int[]> TensorShapes { get; }

    /// <summary>The op type that produced every run-time tensor, by name.</summary>
    public IReadOnlyDictionary<string, string> Producers { get; }

    /// <summary>The shape of every value the build saw, constants (weights, folded tensors) included.</summary>
    public IReadOnlyDictionary<string, int[]> ValueShapes { get; }

    /// <summary>The backend its tensors live on.</summary>
    public IKernels Backend { get; }

    /// <summary>The float type of its tensors.</summary>
    public DType DType { get; }

    /// <summary>
    /// Run-time tensors of the source graph: those of <see cref="Graph"/> and those an optimiser hid by fusion (not
    /// the constants folded at build time). Defaults to the graph's input and intermediates.
    /// </summary>
    public IReadOnlySet<string> RuntimeTensors
    {
        get => _runtimeTensors ??= Graph.Inputs.Concat(Graph.IntermediateNames).ToHashSet(StringComparer.Ordinal);
        init => _runtimeTensors = value;
    }

    private IReadOnlySet<string>? _runtimeTensors;

    /// <summary>
    /// Null when every batch item's tensors are computed from that item's input alone, so that a batch may run in
    /// parts (<see cref="BatchPartSize"/>); else why not (the first node that couples items, and its rule). Only a
    /// build of batch ≥ 2 can tell (at batch 1 the importer's rules hold vacuously); a model built by hand couples.
    /// </summary>
    public string? BatchCoupling { get; init; } = "the model was not built by an importer that checks batch items";

    /// <summary>Items per part when a plain forward pass of this batch size runs in parts (the whole batch when
    /// items are coupled): as many as keep the widest node's activations within a share of the last-level cache, and
    /// at least one per CPU thread.</summary>
    public int BatchPartSize => _batchPartSize ??= BatchCoupling is null ? BatchParts.PartSize(this) : BatchSize;

    private int? _batchPartSize;

    /// <summary>
    /// Named tensors for a batch run in parts of <paramref name="partSize"/> items, each part through the build of its
    /// size (to bound memory, or to compare with <see cref="Run(Tensor, string[])"/>); the whole batch at once when
    /// <paramref name="partSize"/> covers it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The items are coupled (<see cref="BatchCoupling"/>), the input
    /// carries derivatives, or a fetched name is not a run-time tensor with one row per item.</exception>
    public IReadOnlyDictionary<string, Tensor> RunInParts(Tensor input, int partSize, params string[] fetch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSize, 1);
        if (fetch.Length == 0) fetch = [OutputName];
        if (partSize >= BatchSize) return Run(input, fetch);
        CheckInputShape(input);
        if (fetch.Any(f => !Graph.Defines(f)) && WithKept(fetch) is var kept && kept != this) return kept.RunInParts(input, partSize, fetch);
        return BatchParts.Run(this, input, fetch, partSize)
            ?? throw new InvalidOperationException(BatchCoupling is { } why ? $"{File}: the batch cannot run in parts: {why}"
                : $"{File}: the batch cannot run in parts: the input carries derivatives, or a fetched name is not a run-time tensor with one row per item");
    }

    private void CheckInputShape(Tensor input)
    {
        if (!input.Shape.AsSpan().SequenceEqual(InputShape))
            throw new ArgumentException($"input shape [{string.Join(", ", input.Shape)}] differs from the shape the model was built for [{string.Join(", ", InputShape)}]; use ForBatch");
    }

    /// <summary>The builds a plain CPU forward pass of this model runs on: itself, or when its batch runs in parts
    /// (<see cref="BatchPartSize"/>), the builds of the parts' sizes (for observers such as a profiler).</summary>
    public IReadOnlyList<Model> ForwardBuilds()
    {
        int part = BatchPartSize, rest = BatchSize % part;
        if (BatchCoupling is not null || part >= BatchSize) return [this];
        return rest == 0 ? [ForBatch(part)] : [ForBatch(part), ForBatch(rest)];
    }

    /// <summary>The run-time nodes of the source graph before optimisation (see <see cref="IModelSource.SourceNodes"/>);
    /// the graph's own nodes when the model has no source.</summary>
    public IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)> SourceNodes =>
        _sourceNodes ??= _source?.SourceNodes(this) ?? Graph.Nodes.Select(n => (n.OpType, n.Inputs, n.Outputs)).ToList();

    /// <summary>
    /// The same model with <paramref name="tensors"/> materialised as well (built with them kept from fusion), e.g.
    /// the CAM target layers a probe reads: this model when it already defines them all; otherwise built once per
    /// set and cached (thread-safe).
    /// </summary>
    public Model WithKept(IEnumerable<string> tensors)
    {
        if (_source?.KeepFor(this, tensors) is not { } keep) return this;
        return _kept.GetOrAdd(string.Join("\n", keep),
            _ => new Lazy<Model>(() => _source.Keeping(keep).Build((int[])InputShape.Clone()), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>
    /// Computes <paramref name="fetch"/> from tensors given by name (the input, or intermediates such as a target
    /// layer A and the side inputs of the head after it), on the build that materialises every name given or
    /// fetched (<see cref="WithKept"/>): given an intermediate, only the part downstream of it runs.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Evaluate(IReadOnlyDictionary<string, Tensor> given, IEnumerable<string> fetch)
    {
        var names = fetch.ToArray();
        return WithKept(given.Keys.Concat(names)).Executor.Evaluate(given, names);
    }

    /// <summary>What built it (null when it was built by hand).</summary>
    public IModelSource? Source => _source;

    /// <summary>Multiply-adds of one forward pass (convolutions and dense layers), or 0 when the source does not say.</summary>
    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);

    /// <summary>The convolutions and dense layers with their multiply-adds (empty when the source does not say).</summary>
    public IReadOnlyList<LayerFlops> Layers => _source?.Layers(this) ?? [];

    /// <summary>
    /// The same model for batch size <paramref name="n"/>: built once per size (thread-safe, also under concurrent
    /// first use) and shared by every model of this family.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    /// <exception cref="NotSupportedException">The model has no source to build other sizes from.</exception>
    public Model ForBatch(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (n == BatchSize) return this;
        var lazy = _family.GetOrAdd(n, size => new Lazy<Model>(() => BuildFor(size), LazyThreadSafetyMode.ExecutionAndPublication));
        try { return lazy.Value; }
        catch
        {
            _family.TryRemove(new KeyValuePair<int, Lazy<Model>>(n, lazy)); // let a later call try again
            throw;
        }
    }

    private Model BuildFor(int n)
    {
        if (_source is null) throw new NotSupportedException($"{File}: the model was built for batch {BatchSize} only and has no source to build batch {n}");
        var shape = (int[])InputShape.Clone();
        shape[0] = n;
        return _source.Build(shape).Adopt(_family);
    }

    /// <summary>This model, sharing <paramref name="family"/>'s batch sizes instead of its own.</summary>
    private Model Adopt(ConcurrentDictionary<int, Lazy<Model>> family) =>
        ReferenceEquals(family, _family) ? this
        : new Model(File, Graph, InputName, InputShape, OutputName, TensorShapes, Producers, ValueShapes, Backend, DType, _source, family)
        {
            RuntimeTensors = RuntimeTensors,
            BatchCoupling = BatchCoupling,
        };

    /// <summary>The same model for another input shape: <see cref="ForBatch"/> when only the batch size differs, else
    /// a fresh build (not kept).</summary>
    public Model WithInputShape(int[] shape)
    {
        if (shape.Length == InputShape.Length && shape.AsSpan(1).SequenceEqual(InputShape.AsSpan(1))) return ForBatch(shape[0]);
        if (_source is null) throw new NotSupportedException($"{File}: the model was built for one input shape only and has no source to build another");
        return _source.Build((int[])shape.Clone());
    }

    /// <summary>The output for one input.</summary>
    /// <param name="input">Shaped like <see cref="InputShape"/>.</param>
    public Tensor Run(Tensor input) => Run(input, OutputName)[OutputName];

    /// <summary>Named tensors (any intermediates) for one input. A plain pass over a batch whose items are independent
    /// runs in parts of <see cref="BatchPartSize"/> items on the CPU (see <see cref="BatchCoupling"/>).</summary>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor input, params string[] fetch)
    {
        CheckInputShape(input);
        if (fetch.Any(f => !Graph.Defines(f)) && WithKept(fetch) is var kept && kept != this) return kept.Run(input, fetch);
        if (BatchParts.Run(this, input, fetch) is { } parts) return parts;
        return Executor.Evaluate(new Dictionary<string, Tensor> { [InputName] = input }, fetch);
    }
}
