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

    /// <summary>
    /// A request compiled once (the same for every run of the same given and fetched names): the nodes in run order,
    /// every tensor a run holds numbered as a slot of one array (no name lookups while running), each node's
    /// constant inputs resolved, and per step the slots no later step reads (released after it).
    /// </summary>
    private sealed class Schedule
    {
        /// <summary>Node index per step.</summary>
        public required int[] Plan { get; init; }
        /// <summary>Name → slot (slots are 0 … Count − 1).</summary>
        public required Dictionary<string, int> SlotOf { get; init; }
        /// <summary>Per step and input: its slot, or −1 (omitted, or a constant in <see cref="Constants"/>).</summary>
        public required int[][] Inputs { get; init; }
        /// <summary>Per step and input: the graph constant read there (null elsewhere).</summary>
        public required Tensor?[][] Constants { get; init; }
        /// <summary>Per step and output: its slot, or −1 (an omitted output).</summary>
        public required int[][] Outputs { get; init; }
        /// <summary>Per step: the inputs no later step reads and no one fetched.</summary>
        public required int[][] Release { get; init; }
        /// <summary>Per step: the outputs no step reads and no one fetched.</summary>
        public required int[][] Unread { get; init; }
    }

    private readonly ConcurrentDictionary<string, Schedule> _schedules = new(StringComparer.Ordinal);

    private Schedule MakeSchedule(IReadOnlyDictionary<string, Tensor> given, string[] wanted)
    {
        var known = new HashSet<string>(given.Keys, StringComparer.Ordinal);
        foreach (var c in Graph.Constants.Keys) known.Add(c);
        var plan = Graph.Plan(wanted, known);
        var slotOf = new Dictionary<string, int>(StringComparer.Ordinal);
        int Slot(string name)
        {
            if (!slotOf.TryGetValue(name, out int s)) slotOf[name] = s = slotOf.Count;
            return s;
        }
        // a name is a slot unless it is a constant that no step computes and no one gives
        var computed = new HashSet<string>(plan.SelectMany(i => Graph.Nodes[i].Outputs), StringComparer.Ordinal);
        bool IsConstant(string name) => !computed.Contains(name) && !given.ContainsKey(name) && Graph.Constants.ContainsKey(name);
        foreach (var g in given.Keys) Slot(g);
        foreach (var f in wanted) if (!IsConstant(f)) Slot(f);
        // liveness: the last plan step reading each tensor
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < plan.Count; s++)
            foreach (var inp in Graph.Nodes[plan[s]].Inputs)
                if (inp.Length > 0) lastUse[inp] = s;
        var keep = new HashSet<string>(wanted, StringComparer.Ordinal);
        int steps = plan.Count;
        var inputs = new int[steps][];
        var constants = new Tensor?[steps][];
        var outputs = new int[steps][];
        var release = new int[steps][];
        var unread = new int[steps][];
        for (int s = 0; s < steps; s++)
        {
            var node = Graph.Nodes[plan[s]];
            inputs[s] = new int[node.Inputs.Length];
            constants[s] = new Tensor?[node.Inputs.Length];
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                var name = node.Inputs[i];
                bool constant = name.Length > 0 && IsConstant(name);
                inputs[s][i] = name.Length == 0 || constant ? -1 : Slot(name);
                if (constant) constants[s][i] = Graph.Constants[name];
            }
            outputs[s] = [.. node.Outputs.Select(o => o.Length == 0 ? -1 : Slot(o))];
            release[s] = [.. node.Inputs.Distinct().Where(i => i.Length > 0 && !IsConstant(i) && lastUse[i] == s && !keep.Contains(i)).Select(Slot)];
            unread[s] = [.. node.Outputs.Where(o => o.Length > 0 && !lastUse.ContainsKey(o) && !keep.Contains(o)).Select(Slot)];
        }
        return new Schedule
        {
            Plan = [.. plan], SlotOf = slotOf, Inputs = inputs, Constants = constants,
            Outputs = outputs, Release = release, Unread = unread,
        };
    }

    private Dictionary<string, Tensor> Run(IReadOnlyDictionary<string, Tensor> given, string[] wanted, Schedule schedule, PlanRun? run)
    {
        var plan = schedule.Plan;
        var values = new Tensor?[schedule.SlotOf.Count]; // computed here (ours to release)
        var givenAt = new Tensor?[values.Length];            // supplied by the caller (never released)
        foreach (var (name, t) in given)
            if (schedule.SlotOf.TryGetValue(name, out int slot)) givenAt[slot] = t;
        var notOurs = new HashSet<Tensor>(given.Values, TensorIdentity.Instance); // and the graph's constants
        var holders = new Dictionary<Tensor, int>(TensorIdentity.Instance); // slots holding each tensor (Identity aliases)
        bool Released(Tensor t) // one slot let go; true when no slot holds t any more and it is ours to free
        {
            int left = holders[t] - 1;
            if (left > 0) { holders[t] = left; return false; }
            holders.Remove(t);
            return !t.IsDifferentiable && !notOurs.Contains(t) && !Graph.ConstantTensors.Contains(t);
        }
        void Let(int slot) // the slot lets its tensor go (disposed when it was the last holder and ours)
        {
            var dead = values[slot];
            if (dead is null) return;
            values[slot] = null;
            if (Released(dead)) dead.Dispose();
        }
        for (int s = 0; s < plan.Length; s++)
        {
            var node = Graph.Nodes[plan[s]];
            int[] inSlots = schedule.Inputs[s], outSlots = schedule.Outputs[s];
            Tensor?[] constants = schedule.Constants[s];
            var args = new Tensor?[inSlots.Length];
            for (int i = 0; i < args.Length; i++)
            {
                int slot = inSlots[i];
                args[i] = slot < 0 ? constants[i]
                    : values[slot] ?? givenAt[slot]
                    ?? throw new GraphException($"node '{node.Name}' ({node.OpType}) needs '{node.Inputs[i]}', which was not given", node.Name, node.Inputs[i]);
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
            if (results.Length < outSlots.Count(o => o >= 0))
                throw new GraphException($"node '{node.Name}' ({node.OpType}) returned {results.Length} tensors for {node.Outputs.Length} outputs", node.Name);
            observer?.NodeFinished(node, results);
            for (int i = 0; i < outSlots.Length; i++)
                if (outSlots[i] >= 0)
                {
                    values[outSlots[i]] = results[i];
                    holders[results[i]] = holders.GetValueOrDefault(results[i]) + 1;
                }

            // release what no later step reads (plain values only: derivative records may still need theirs)
            foreach (int slot in schedule.Release[s]) Let(slot);
            foreach (int slot in schedule.Unread[s]) Let(slot); // outputs nobody reads
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var f in wanted)
            result[f] = schedule.SlotOf.TryGetValue(f, out int slot) ? values[slot] ?? givenAt[slot]
                    ?? throw new GraphException($"'{f}' was neither given nor computed", tensorName: f)
                : Graph.Constants[f];
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
