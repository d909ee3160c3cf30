using NativeCam.Engine.Graph;

namespace NativeCam.Importers.Onnx;


/// <summary>
/// Counts the arithmetic of the convolutions and dense layers (Conv, Gemm, MatMul and their quantized forms) of an
/// imported model from shapes alone: a layer whose output has E elements, each a dot product of length K, costs
/// E·K multiply-adds (2·E·K flops). Conv: K = (C/group)·kh·kw, the weight's [M, C/group, kh, kw] after its first
/// dim. Gemm: K = op(A)'s columns. MatMul: K = A's last dim. Only layers that run at inference count: nodes
/// folded at import (all inputs known) and nodes that do not feed the output are skipped. Elementwise ops,
/// pooling and normalisation are not counted.
/// </summary>
public static class ModelFlops
{
    /// <summary>The counted layers of <paramref name="model"/>, in the file's node order.</summary>
    public static IReadOnlyList<LayerFlops> Layers(Model model)
    {
        var live = LiveTensors(model);
        var shapes = model.ValueShapes;
        var result = new List<LayerFlops>();
        var proto = (model.Source as OnnxSource)?.Proto
            ?? throw new ArgumentException($"{model.File}: the model was not imported from ONNX, so its layers are unknown");
        foreach (var node in proto.Graph.Node)
        {
            if (node.Output.Count == 0 || !live.Contains(node.Output[0])) continue;
            int? weightInput = node.OpType switch { "Conv" => 1, "QLinearConv" => 3, _ => null };
            bool gemm = node.OpType is "Gemm" or "QGemm", matMul = node.OpType is "MatMul" or "QLinearMatMul";
            if (weightInput is null && !gemm && !matMul) continue;
            var output = ShapeOf(shapes, node.Output[0], node.Name);
            long k;
            if (weightInput is int wi)
            {
                var w = ShapeOf(shapes, node.Input[wi], node.Name);
                k = 1;
                for (int d = 1; d < w.Length; d++) k *= w[d];
            }
            else
            {
                var a = ShapeOf(shapes, node.Input[0], node.Name);
                bool transA = gemm && node.Attribute.Any(at => at.Name == "transA" && at.I != 0);
                k = a.Length == 0 ? 1 : transA ? a[0] : a[^1];
            }
            long elements = 1;
            foreach (int d in output) elements *= d;
            result.Add(new LayerFlops(node.Name.Length > 0 ? node.Name : node.Output[0], node.OpType, checked(elements * k)));
        }
        return result;
    }

    /// <summary>Multiply-adds of one forward pass: the sum over <see cref="Layers"/>.</summary>
    public static long MultiplyAdds(Model model) => Layers(model).Sum(l => l.MultiplyAdds);

    /// <summary>Flops of one forward pass: 2 × <see cref="MultiplyAdds"/>.</summary>
    public static double Flops(Model model) => 2.0 * MultiplyAdds(model);

    private static int[] ShapeOf(IReadOnlyDictionary<string, int[]> shapes, string tensor, string node) =>
        shapes.TryGetValue(tensor, out var s) ? s
        : throw new InvalidOperationException($"node '{node}': the shape of '{tensor}' is unknown after import");

    /// <summary>Tensors produced by run-time nodes of the source graph that the output depends on (tensors that
    /// optimisation fused into one node included).</summary>
    private static HashSet<string> LiveTensors(Model model)
    {
        var nodes = model.SourceNodes;
        var needed = new HashSet<string>(model.Graph.Outputs, StringComparer.Ordinal);
        var live = new HashSet<string>(StringComparer.Ordinal);
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (!nodes[i].Outputs.Any(needed.Contains)) continue;
            foreach (var o in nodes[i].Outputs) live.Add(o);
            foreach (var inp in nodes[i].Inputs) if (inp.Length > 0) needed.Add(inp);
        }
        return live;
    }
}
