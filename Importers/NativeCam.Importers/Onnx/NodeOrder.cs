using Onnx;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// The order in which the importer visits a graph's nodes: depth-first from each node in file order, a node's inputs
/// in their order, so every node comes after the producers of its inputs (ONNX requires a topological file order;
/// this order also accepts files that break it and finds undefined inputs and cycles).
/// </summary>
internal static class NodeOrder
{
    /// <summary>Why no order exists: node <paramref name="Node"/> reads <paramref name="Input"/>, which nothing
    /// defines (or, when <paramref name="Cycle"/>, which depends on the node itself).</summary>
    public readonly record struct Failure(int Node, string Input, bool Cycle);

    /// <summary>Node indices in dependency order, or null with <paramref name="failure"/> set.</summary>
    /// <param name="g">The graph.</param>
    /// <param name="isDefined">True for names defined before any node runs (inputs, initializers).</param>
    /// <param name="producer">The node producing each node output.</param>
    /// <param name="failure">The first undefined input or cycle met.</param>
    public static List<int>? DepthFirst(GraphProto g, Func<string, bool> isDefined, IReadOnlyDictionary<string, int> producer, out Failure failure)
    {
        failure = default;
        var state = new int[g.Node.Count]; // 0 new, 1 on the path, 2 done
        var order = new List<int>(g.Node.Count);
        for (int root = 0; root < g.Node.Count; root++)
        {
            if (state[root] != 0) continue;
            var stack = new Stack<(int Node, int Next)>();
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (n, next) = stack.Pop();
                var ins = g.Node[n].Input;
                if (next < ins.Count)
                {
                    stack.Push((n, next + 1));
                    var name = ins[next];
                    if (name.Length == 0 || isDefined(name)) continue;
                    if (!producer.TryGetValue(name, out int p)) { failure = new Failure(n, name, Cycle: false); return null; }
                    if (state[p] == 1) { failure = new Failure(n, name, Cycle: true); return null; }
                    if (state[p] == 0) { state[p] = 1; stack.Push((p, 0)); }
                    continue;
                }
                state[n] = 2;
                order.Add(n);
            }
        }
        return order;
    }
}
