using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cam.Probe;

/// <summary>
/// Reads A, g = ∂u/∂A and H·A at named target tensors. The model runs forward once; then, per layer, only the head
/// (the sub-graph from A to the logits) runs again, with A as a dual of tangent A under one reverse sweep:
/// forward-over-reverse gives g and H·A together. No weight gradients, nothing upstream of A re-runs.
/// </summary>
public sealed class LayerProbe(OnnxModel model)
{
    /// <summary>The model.</summary>
    public OnnxModel Model { get; } = model;

    /// <summary>Probes <paramref name="layers"/> for the batch <paramref name="input"/>.</summary>
    /// <param name="input">[N, 3, H, W], the shape the model was imported for.</param>
    /// <param name="layers">Target tensor names.</param>
    /// <param name="utility">The scalar differentiated per image.</param>
    /// <param name="classes">Class per image; null explains each image's top-1.</param>
    /// <param name="withHvp">Also compute H·A.</param>
    /// <param name="layout">Layout of the targets (Auto detects).</param>
    public ProbeResult Run(Tensor input, IReadOnlyList<string> layers, Utility utility, int[]? classes = null, bool withHvp = true,
        LayerLayout layout = LayerLayout.Auto)
    {
        if (layers.Count == 0) throw new ArgumentException("no target layer given");
        var graph = Model.Graph;
        foreach (var l in layers)
            if (!graph.Defines(l)) throw new ArgumentException($"the model has no tensor named '{l}'");
        string output = Model.OutputName;
        var sides = layers.SelectMany(l => graph.SideInputs([l], [output])).Distinct().ToArray();
        var fetch = layers.Concat(sides).Append(output).Distinct().ToArray();
        var forward = Model.Run(input, fetch);
        var logits = Logits(forward[output]);
        int n = logits.Shape[0];
        classes ??= TopOne(logits);
        if (classes.Length == 1 && n > 1) classes = Enumerable.Repeat(classes[0], n).ToArray();

        var result = new List<LayerSignals>(layers.Count);
        foreach (var layer in layers)
        {
            var a = forward[layer];
            var given = graph.SideInputs([layer], [output]).ToDictionary(s => s, s => forward[s], StringComparer.Ordinal);
            Tensor U(Tensor z)
            {
                given[layer] = z;
                return Utilities.Evaluate(utility, Logits(Model.Executor.Evaluate(given, [output])[output]), classes);
            }
            Tensor g, hv;
            if (withHvp) (g, hv) = Ad.GradAndHvp(U, a, a);
            else (g, hv) = (Ad.Grad(U, a), null!);
            var l = Layouts.Resolve(layout, a.Shape, layer);
            result.Add(new LayerSignals(layer, Layouts.ToNchw(a, l, layer), Layouts.ToNchw(g, l, layer),
                withHvp ? Layouts.ToNchw(hv, l, layer) : null));
        }
        return new ProbeResult(logits, classes, result);
    }

    /// <summary>The output as [N, K] (classifier outputs like [N, K, 1, 1] are flattened).</summary>
    internal static Tensor Logits(Tensor output) => output.Rank == 2 ? output : output.Reshape(output.Shape[0], -1);

    /// <summary>Each row's arg-max.</summary>
    public static int[] TopOne(Tensor logits)
    {
        var v = logits.ToArray();
        int n = logits.Shape[0], k = logits.Shape[1];
        var best = new int[n];
        for (int i = 0; i < n; i++)
            for (int j = 1; j < k; j++)
                if (v[i * k + j] > v[i * k + best[i]]) best[i] = j;
        return best;
    }
}
