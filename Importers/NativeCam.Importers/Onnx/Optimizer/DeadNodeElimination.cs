namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// Removes the nodes no kept tensor (graph output or requested tensor) depends on. Nodes of ops the importer does
/// not know stay, so that such a file still fails with the same error.
/// </summary>
internal static class DeadNodeElimination
{
    /// <summary>Runs the pass; returns the number of nodes removed.</summary>
    public static int Run(IrGraph g)
    {
        var live = new HashSet<string>(g.Kept, StringComparer.Ordinal);
        var keepNode = new bool[g.Nodes.Count];
        for (int i = g.Nodes.Count - 1; i >= 0; i--)
        {
            var n = g.Nodes[i];
            if (!n.Outputs.Any(live.Contains) && OpHandlers.Find(n.Domain, n.OpType) is not null) continue;
            keepNode[i] = true;
            foreach (var inp in n.Inputs) if (inp.Length > 0) live.Add(inp);
        }
        int removed = 0;
        for (int i = g.Nodes.Count - 1; i >= 0; i--)
            if (!keepNode[i]) { g.Nodes.RemoveAt(i); removed++; }
        if (removed > 0) g.Reindex();
        return removed;
    }
}
