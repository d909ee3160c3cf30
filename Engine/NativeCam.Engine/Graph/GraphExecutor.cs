using System.Collections.Concurrent;
using NativeCam.Kernels;

namespace NativeCam.Engine.Graph;

/// <summary>
/// Runs a <see cref="ComputeGraph"/>: only the nodes the requested tensors need, in topological order, releasing
/// each intermediate buffer right after its last consumer ran (a liveness plan per request). Works at any
/// derivative level: feed duals or reverse tensors and the results carry their derivatives. A plain forward pass
/// (no derivative levels) on a backend with <see cref="IReusableBuffers"/> runs under a static memory plan per
/// request (given names and shapes, fetched names): after its first run it allocates no activation memory.
/// </summary>
public sealed class GraphExecutor(ComputeGraph graph)
{
    private readonly ConcurrentDictionary<string, MemoryPlan> _plans = new(StringComparer.Ordinal);

    /// <summary>The graph run.</summary>
    public ComputeGraph Graph { get; } = graph;

    /// <summary>Told about every node run by this executor, when set (not thread-safe: for profiling).</summary>
    public IGraphObserver? Observer { get; set; }

    /// <summary>Whether plain forward passes run under a static memory plan (default true).</summary>
    public bool PlanMemory { get; set; } = true;

    /// <summary>Drops every memory plan and its blocks (the next plain pass of each request records anew).</summary>
    public void ClearMemoryPlans() => _plans.Clear();

    /// <summary>Elements of the planned allocations of one run of the request (0 when not planned yet).</summary>
    public long PlannedElements(IReadOnlyDictionary<string, Tensor> given, IEnumerable<string> fetch) =>
        _plans.TryGetValue(PlanKey(given, fetch.ToArray()), out var p) ? p.PlannedElements : 0;

    /// <summary>Sizes of the request's memory plan in elements: its blocks and the largest set of allocations
    /// alive at once (both 0 when not planned yet).</summary>
    public (long Blocks, long PeakLive) PlanSizes(IReadOnlyDictionary<string, Tensor> given, IEnumerable<string> fetch) =>
        _plans.TryGetValue(PlanKey(given, fetch.ToArray()), out var p) ? (p.BlockElements, p.PeakLiveElements) : (0, 0);

    /// <summary>Runs the graph from its inputs and returns the graph outputs.</summary>
    public IReadOnlyDictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> feeds) =>
        Evaluate(feeds, Graph.Outputs);

    /// <summary>
    /// Computes <paramref name="fetch"/> from <paramref name="given"/>: any named tensors, graph inputs or
    /// intermediates. A given intermediate cuts the graph there: nothing upstream of it runs, so giving the target
    /// activation A (as a dual, say) evaluates only the sub-graph downstream of A. Tensors that sub-graph reads from
    /// elsewhere (<see cref="ComputeGraph.SideInputs"/>) must be given too, e.g. from an earlier forward pass.
    /// </summary>
    /// <param name="given">Tensors supplied by name.</param>
    /// <param name="fetch">Names to return (any tensors of the graph).</param>
    /// <exception cref="GraphException">A needed tensor is neither given nor computable, or a node failed.</exception>
    public IReadOnlyDictionary<string, Tensor> Evaluate(IReadOnlyDictionary<string, Tensor> given, IEnumerable<string> fetch)
    {
        var wanted = fetch.ToArray();
        foreach (var f in wanted)
            if (!Graph.Defines(f)) throw new GraphException($"no tensor named '{f}' in the graph", tensorName: f);
        var schedule = _schedules.GetOrAdd(RequestKey(given, wanted, shapes: false), static (_, a) => a.Self.MakeSchedule(a.Given, a.Wanted), (Self: this, Given: given, Wanted: wanted));

        var run = BeginPlannedRun(given, wanted);
        bool failed = true;
        try
        {
            var result = Run(given, wanted, schedule, run);
            failed = false;
            return result;
        }
        finally { run?.End(failed); }
    }

    /// <summary>The nodes a request runs, in order, and the last step reading each tensor: the same for every run of
    /// the same given and fetched names, so made once per request.</summary>
    /// <param name="Plan">Node indices in run order.</param>
    /// <param name="Release">Per step: the inputs no later step reads and no one fetched (released after it).</param>
    /// <param name="Unread">Per step: the outputs no step reads and no one fetched.</param>
    private sealed record Schedule(List<int> Plan, string[][] Release, string[][] Unread);

    private readonly ConcurrentDictionary<string, Schedule> _schedules = new(StringComparer.Ordinal);

    private Schedule MakeSchedule(IReadOnlyDictionary<string, Tensor> given, string[] wanted)
    {
        var known = new HashSet<string>(given.Keys, StringComparer.Ordinal);
        foreach (var c in Graph.Constants.Keys) known.Add(c);
        var plan = Graph.Plan(wanted, known);
        // liveness: the last plan step reading each tensor
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < plan.Count; s++)
            foreach (var inp in Graph.Nodes[plan[s]].Inputs)
                if (inp.Length > 0) lastUse[inp] = s;
        var keep = new HashSet<string>(wanted, StringComparer.Ordinal);
        var release = new string[plan.Count][];
        var unread = new string[plan.Count][];
        for (int s = 0; s < plan.Count; s++)
        {
            var node = Graph.Nodes[plan[s]];
            release[s] = [.. node.Inputs.Distinct().Where(i => i.Length > 0 && lastUse[i] == s && !keep.Contains(i))];
            unread[s] = [.. node.Outputs.Where(o => o.Length > 0 && !lastUse.ContainsKey(o) && !keep.Contains(o))];
        }
        return new Schedule(plan, release, unread);
    }

    private Dictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> given, string[] wanted, Schedule schedule, PlanRun? run)
    {
        var plan = schedule.Plan;
        var env = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var notOurs = new HashSet<Tensor>(given.Values, TensorIdentity.Instance); // and the graph's constants
        var holders = new Dictionary<Tensor, int>(TensorIdentity.Instance); // names in env per tensor (Identity aliases)
        bool Released(Tensor t) // one name let go; true when no name holds t any more and it is ours to free
        {
            int left = holders[t] - 1;
            if (left > 0) { holders[t] = left; return false; }
            holders.Remove(t);
            return !t.IsDifferentiable && !notOurs.Contains(t) && !Graph.ConstantTensors.Contains(t);
        }
        for (int s = 0; s < plan.Count; s++)
        {
            var node = Graph.Nodes[plan[s]];
            var args = new Tensor?[node.Inputs.Length];
            for (int i = 0; i < args.Length; i++)
            {
                var name = node.Inputs[i];
                if (name.Length == 0) continue;
                args[i] = env.TryGetValue(name, out var t) ? t
                    : given.TryGetValue(name, out t) ? t
                    : Graph.Constants.TryGetValue(name, out t) ? t
                    : throw new GraphException($"node '{node.Name}' ({node.OpType}) needs '{name}', which was not given", node.Name, name);
            }
            Tensor[] results;
            var observer = Observer;
            observer?.NodeStarted(node, args);
            try { results = node.Compute(args); }
            catch (Exception e) when (e is not GraphException)
            {
                throw new GraphException($"node '{node.Name}' ({node.OpType}) failed: {e.Message}", node.Name, inner: e);
            }
            run?.EndNode(results);
            if (results.Length < node.Outputs.Count(o => o.Length > 0))
                throw new GraphException($"node '{node.Name}' ({node.OpType}) returned {results.Length} tensors for {node.Outputs.Length} outputs", node.Name);
            observer?.NodeFinished(node, results);
            for (int i = 0; i < node.Outputs.Length; i++)
                if (node.Outputs[i].Length > 0)
                {
                    env[node.Outputs[i]] = results[i];
                    holders[results[i]] = holders.GetValueOrDefault(results[i]) + 1;
                }

            // release what no later step reads (plain values only: derivative records may still need theirs)
            foreach (var inp in schedule.Release[s])
                if (env.Remove(inp, out var dead) && Released(dead)) dead.Dispose();
            foreach (var o in schedule.Unread[s]) // outputs nobody reads
                if (env.Remove(o, out var unused) && Released(unused)) unused.Dispose();
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var f in wanted)
            result[f] = env.TryGetValue(f, out var t) ? t
                : given.TryGetValue(f, out t) ? t
                : Graph.Constants.TryGetValue(f, out t) ? t
                : throw new GraphException($"'{f}' was neither given nor computed", tensorName: f);
        return result;
    }

    /// <summary>A run under the request's memory plan, or null (derivative levels, a backend without reusable
    /// buffers, planning off, or the plan busy with another thread's run).</summary>
    private PlanRun? BeginPlannedRun(IReadOnlyDictionary<string, Tensor> given, string[] wanted)
    {
        if (!PlanMemory || given.Count == 0) return null;
        IKernels? backend = null;
        foreach (var t in given.Values)
        {
            if (t.IsDifferentiable || (backend is not null && !ReferenceEquals(backend, t.Backend))) return null;
            backend = t.Backend;
        }
        if (backend is not IReusableBuffers blocks) return null;
        var plan = _plans.GetOrAdd(PlanKey(given, wanted), static (_, a) => new MemoryPlan(a.backend, a.blocks), (backend, blocks));
        return ReferenceEquals(plan.Backend, backend) ? plan.TryBegin() : null;
    }

    /// <summary>A request's key: the given names (with shapes and dtypes when <paramref name="shapes"/>: a memory plan
    /// depends on them, a schedule does not) and the fetched names.</summary>
    private static string RequestKey(IReadOnlyDictionary<string, Tensor> given, string[] wanted, bool shapes)
    {
        var key = new System.Text.StringBuilder();
        foreach (var (name, t) in given.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            key.Append(name);
            if (shapes) key.Append('[').AppendJoin(',', t.Shape).Append(']').Append(t.DType);
            key.Append('\n');
        }
        key.Append('\0');
        foreach (var f in wanted) key.Append(f).Append('\n');
        return key.ToString();
    }

    private static string PlanKey(IReadOnlyDictionary<string, Tensor> given, string[] wanted) => RequestKey(given, wanted, shapes: true);
}
