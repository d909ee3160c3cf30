namespace NativeCam.Engine.Graph;

/// <summary>
/// A validated directed acyclic graph of <see cref="GraphNode"/>s with named inputs, constants and outputs. Nodes are
/// kept in a topological order. Build one with <see cref="ComputeGraph(IEnumerable{string}, IReadOnlyDictionary{string, Tensor}, IEnumerable{GraphNode}, IEnumerable{string})"/>;
/// run it with <see cref="GraphExecutor"/>.
/// </summary>
public sealed class ComputeGraph
{
    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);

    /// <summary>Validates and sorts the graph.</summary>
    /// <param name="inputs">Names fed at run time.</param>
    /// <param name="constants">Named constant tensors (weights).</param>
    /// <param name="nodes">The nodes, in any order.</param>
    /// <param name="outputs">The graph's output names.</param>
    /// <exception cref="GraphException">A name is produced twice, an input is undefined, or there is a cycle.</exception>
    public ComputeGraph(IEnumerable<string> inputs, IReadOnlyDictionary<string, Tensor> constants, IEnumerable<GraphNode> nodes, IEnumerable<string> outputs)
    {
        Inputs = inputs.ToArray();
        Constants = constants.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal); // a snapshot
        ConstantTensors = new HashSet<Tensor>(Constants.Values, TensorIdentity.Instance);
        Outputs = outputs.ToArray();
        var all = nodes.ToArray();

        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Inputs.Concat(Constants.Keys))
            if (!defined.Add(name)) throw new GraphException($"tensor '{name}' is defined twice (as an input and a constant)", tensorName: name);
        for (int i = 0; i < all.Length; i++)
            foreach (var o in all[i].Outputs)
            {
                if (o.Length == 0) continue;
                if (defined.Contains(o) || _producer.ContainsKey(o))
                    throw new GraphException($"node '{all[i].Name}' ({all[i].OpType}) produces '{o}', which is already defined", all[i].Name, o);
                _producer[o] = i;
            }
        foreach (var n in all)
            foreach (var inp in n.Inputs)
                if (inp.Length > 0 && !defined.Contains(inp) && !_producer.ContainsKey(inp))
                    throw new GraphException($"node '{n.Name}' ({n.OpType}) reads '{inp}', which no input, constant or node defines", n.Name, inp);
        foreach (var o in Outputs)
            if (!defined.Contains(o) && !_producer.ContainsKey(o))
                throw new GraphException($"graph output '{o}' is never produced", tensorName: o);

        Nodes = TopologicalSort(all);
        _producer.Clear();
        for (int i = 0; i < Nodes.Count; i++)
            foreach (var o in Nodes[i].Outputs)
                if (o.Length > 0) _producer[o] = i;
    }

    /// <summary>Names fed at run time.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Named constants.</summary>
    public IReadOnlyDictionary<string, Tensor> Constants { get; }

    /// <summary>The constants' tensors, by identity (a node may return one, e.g. an Identity).</summary>
    internal IReadOnlySet<Tensor> ConstantTensors { get; }

    /// <summary>Nodes in topological order.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }

    /// <summary>The graph's outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The index in <see cref="Nodes"/> of the node producing a tensor, or −1 for inputs and constants.</summary>
    public int ProducerOf(string tensor) =>
        _producer.TryGetValue(tensor, out int i) ? i
        : Inputs.Contains(tensor) || Constants.ContainsKey(tensor) ? -1
        : throw new GraphException($"no tensor named '{tensor}' in the graph", tensorName: tensor);

    /// <summary>True when the graph defines a tensor of that name.</summary>
    public bool Defines(string tensor) => _producer.ContainsKey(tensor) || Inputs.Contains(tensor) || Constants.ContainsKey(tensor);

    /// <summary>Every tensor name produced by a node, in topological order.</summary>
    public IEnumerable<string> IntermediateNames => Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0);

    /// <summary>
    /// The tensors that nodes downstream of <paramref name="from"/> (on the way to <paramref name="outputs"/>) read
    /// from outside that downstream part, constants excluded: what a forward pass must keep so that the sub-graph
    /// from <paramref name="from"/> can be evaluated alone. Worked out once per request (an explanation asks at every
    /// call).
    /// </summary>
    public IReadOnlyList<string> SideInputs(IEnumerable<string> from, IEnumerable<string> outputs)
    {
        string[] f = [.. from], o = [.. outputs];
        return _sideInputs.GetOrAdd(string.Join("\n", f) + "\0" + string.Join("\n", o), _ => FindSideInputs(f, o));
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _sideInputs = new(StringComparer.Ordinal);

    private string[] FindSideInputs(IEnumerable<string> from, IEnumerable<string> outputs)
    {
        var start = new HashSet<string>(from, StringComparer.Ordinal);
        var downstream = new HashSet<string>(start, StringComparer.Ordinal);
        foreach (var n in Nodes)
            if (n.Inputs.Any(downstream.Contains))
                foreach (var o in n.Outputs) downstream.Add(o);
        var side = new List<string>();
        foreach (int i in Plan(outputs, start))
            if (Nodes[i].Outputs.Any(downstream.Contains))
                foreach (var inp in Nodes[i].Inputs)
                if (inp.Length > 0 && !downstream.Contains(inp) && !Constants.ContainsKey(inp) && !side.Contains(inp))
                    side.Add(inp);
        return [.. side];
    }

    /// <summary>Indices (topological order) of the nodes needed for <paramref name="outputs"/> when the tensors in
    /// <paramref name="known"/> are given.</summary>
    internal List<int> Plan(IEnumerable<string> outputs, IReadOnlySet<string> known)
    {
        var need = new bool[Nodes.Count];
        var stack = new Stack<string>(outputs);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (known.Contains(t) || !_producer.TryGetValue(t, out int i) || need[i]) continue;
            need[i] = true;
            foreach (var inp in Nodes[i].Inputs) if (inp.Length > 0) stack.Push(inp);
        }
        var plan = new List<int>();
        for (int i = 0; i < need.Length; i++) if (need[i]) plan.Add(i);
        return plan;
    }

    private GraphNode[] TopologicalSort(GraphNode[] all)
    {
        // Kahn's algorithm; stable (keeps the given order among ready nodes)
        var indegree = new int[all.Length];
        var consumers = new List<int>[all.Length];
        for (int i = 0; i < all.Length; i++) consumers[i] = [];
        for (int i = 0; i < all.Length; i++)
            foreach (var inp in all[i].Inputs.Distinct())
                if (inp.Length > 0 && _producer.TryGetValue(inp, out int p)) { indegree[i]++; consumers[p].Add(i); }
        var ready = new PriorityQueue<int, int>();
        for (int i = 0; i < all.Length; i++) if (indegree[i] == 0) ready.Enqueue(i, i);
        var order = new List<GraphNode>(all.Length);
        while (ready.TryDequeue(out int i, out _))
        {
            order.Add(all[i]);
            foreach (int c in consumers[i]) if (--indegree[c] == 0) ready.Enqueue(c, c);
        }
        if (order.Count != all.Length)
        {
            var stuck = all.Where((_, i) => indegree[i] > 0).Select(n => n.Name).Take(5);
            throw new GraphException($"the graph has a cycle through node(s): {string.Join(", ", stuck)}", all.Where((_, i) => indegree[i] > 0).First().Name);
        }
        return [.. order];
    }
}
