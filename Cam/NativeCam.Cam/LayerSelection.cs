using NativeCam.Engine.Graph;

namespace NativeCam.Cam;

/// <summary>Candidate target layers of a model and the automatic choice.</summary>
public static class LayerSelection
{
    /// <summary>Run-time tensors that feed the output (directly or not), in topological order, with their shapes.</summary>
    public static IReadOnlyList<(string Name, string Op, int[] Shape)> Candidates(Model model)
    {
        // the source graph's nodes: tensors that optimisation fused away are candidates too (kept on request)
        var nodes = model.SourceNodes;
        var feeds = new HashSet<string>(StringComparer.Ordinal) { model.OutputName };
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            var node = nodes[i];
            if (node.Outputs.Any(feeds.Contains))
                foreach (var inp in node.Inputs) if (inp.Length > 0 && model.RuntimeTensors.Contains(inp)) feeds.Add(inp);
        }
        return nodes.SelectMany(n => n.Outputs)
            .Where(o => o.Length > 0 && feeds.Contains(o) && o != model.OutputName && model.TensorShapes.ContainsKey(o))
            .Select(o => (o, model.Producers.TryGetValue(o, out var op) ? op : "?", model.TensorShapes[o]))
            .ToList();
    }

    /// <summary>The last 4-D feature map with spatial size &gt; 1 that feeds the classifier.</summary>
    public static string Auto(Model model)
    {
        var pick = Candidates(model).LastOrDefault(c => c.Shape.Length == 4 && c.Shape[2] > 1 && c.Shape[3] > 1);
        return pick.Name ?? throw new ArgumentException($"{Path.GetFileName(model.File)}: no 4-D feature map with spatial size > 1 feeds the output; name a layer");
    }
}
