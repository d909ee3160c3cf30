using System.Diagnostics;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Kernels;

namespace NativeCam.Cam.Diagnostics;

/// <summary>One node run seen by a <see cref="NodeTimer"/>: when it started and how long it took (µs from the timer's origin).</summary>
/// <param name="Node">The graph node.</param>
/// <param name="StartUs">Start, microseconds since <see cref="NodeTimer.Origin"/>.</param>
/// <param name="DurationUs">Duration in microseconds.</param>
/// <param name="InputShapes">Shapes of the inputs (null for an omitted one).</param>
/// <param name="OutputShapes">Shapes of the outputs.</param>
public sealed record NodeRun(GraphNode Node, double StartUs, double DurationUs, int[]?[] InputShapes, int[][] OutputShapes);

/// <summary>
/// A graph observer that times every node by wall clock: accumulated time and run count per node, the bytes each
/// node reads and writes, and the node runs of the latest pass (for a trace). Times are exact only where kernels
/// finish before they return: the CPU backend. On a GPU backend a node's kernels may still be running when it
/// returns (a per-node device synchronisation would be needed).
/// </summary>
public sealed class NodeTimer : IGraphObserver
{
    // by name: the builds of a batch's parts (Model.ForwardBuilds) run nodes of the same names, summed as one node
    private readonly Dictionary<GraphNode, NodeTotals> _totals = new(NodeByName.Instance);
    private readonly ISet<Tensor> _weights;
    private readonly Stack<(GraphNode Node, long Start, int[]?[] Inputs, long InputBytes, long WeightBytes)> _open = new();
    private List<NodeRun> _pass = [];

    /// <summary>A timer; <paramref name="weights"/> are the graph's constants (their bytes count as weight bytes).</summary>
    public NodeTimer(IEnumerable<Tensor> weights, long origin)
    {
        _weights = new HashSet<Tensor>(weights, TensorIdentity.Instance);
        Origin = origin;
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp that trace times count from.</summary>
    public long Origin { get; }

    /// <summary>Per node, in the order first seen.</summary>
    public IReadOnlyDictionary<GraphNode, NodeTotals> Totals => _totals;

    /// <summary>The node runs since <see cref="StartPass"/>.</summary>
    public IReadOnlyList<NodeRun> LatestPass => _pass;

    /// <summary>Starts recording a new pass (the previous pass's runs are dropped; totals are kept).</summary>
    public void StartPass() => _pass = [];

    /// <summary>Forgets everything recorded.</summary>
    public void Reset()
    {
        _totals.Clear();
        _pass = [];
    }

    /// <inheritdoc/>
    public void NodeStarted(GraphNode node, IReadOnlyList<Tensor?> inputs)
    {
        long bytes = 0, weights = 0;
        var shapes = new int[]?[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] is not { } t) continue;
            shapes[i] = t.Shape;
            long b = Bytes(t);
            bytes += b;
            if (_weights.Contains(t)) weights += b;
        }
        _open.Push((node, Stopwatch.GetTimestamp(), shapes, bytes, weights));
    }

    /// <inheritdoc/>
    public void NodeFinished(GraphNode node, IReadOnlyList<Tensor> outputs)
    {
        long end = Stopwatch.GetTimestamp();
        var (started, start, inputs, inputBytes, weightBytes) = _open.Pop();
        if (!ReferenceEquals(started, node)) throw new InvalidOperationException($"node '{node.Name}' finished while '{started.Name}' was running");
        long outputBytes = 0;
        var outShapes = new int[outputs.Count][];
        for (int i = 0; i < outputs.Count; i++)
        {
            outShapes[i] = outputs[i].Shape;
            outputBytes += Bytes(outputs[i]);
        }
        double us = (end - start) * 1e6 / Stopwatch.Frequency;
        if (!_totals.TryGetValue(node, out var totals))
            _totals[node] = totals = new NodeTotals(inputs, outShapes, inputBytes - weightBytes, weightBytes, outputBytes);
        totals.Add(us);
        _pass.Add(new NodeRun(node, (start - Origin) * 1e6 / Stopwatch.Frequency, us, inputs, outShapes));
    }

    private static long Bytes(Tensor t) => t.Length * t.DType.SizeInBytes();
}

/// <summary>What a <see cref="NodeTimer"/> accumulated for one node.</summary>
public sealed class NodeTotals(int[]?[] inputShapes, int[][] outputShapes, long activationInputBytes, long weightBytes, long outputBytes)
{
    /// <summary>Shapes of the inputs at the first run.</summary>
    public int[]?[] InputShapes { get; } = inputShapes;

    /// <summary>Shapes of the outputs at the first run.</summary>
    public int[][] OutputShapes { get; } = outputShapes;

    /// <summary>Bytes of the inputs that are not weights (constants).</summary>
    public long ActivationInputBytes { get; } = activationInputBytes;

    /// <summary>Bytes of the inputs that are weights (graph constants).</summary>
    public long WeightBytes { get; } = weightBytes;

    /// <summary>Bytes of the outputs.</summary>
    public long OutputBytes { get; } = outputBytes;

    /// <summary>Runs seen.</summary>
    public int Runs { get; private set; }

    /// <summary>Sum of the run times in microseconds.</summary>
    public double TotalUs { get; private set; }

    internal void Add(double us)
    {
        Runs++;
        TotalUs += us;
    }
}

/// <summary>Graph nodes compared by name (node names are unique within a graph and shared by its builds).</summary>
internal sealed class NodeByName : IEqualityComparer<GraphNode>
{
    public static readonly NodeByName Instance = new();

    public bool Equals(GraphNode? x, GraphNode? y) => ReferenceEquals(x, y) || x is not null && y is not null && x.Name == y.Name;

    public int GetHashCode(GraphNode node) => StringComparer.Ordinal.GetHashCode(node.Name);
}
