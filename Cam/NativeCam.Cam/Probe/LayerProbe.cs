using System.Collections.Concurrent;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Probe;

/// <summary>
/// Reads A, g = ∂u/∂A and H·A at named target tensors. The model runs forward once; then, per layer, only the head
/// (the sub-graph from A to the logits) runs again, with A as a dual of tangent A under one reverse sweep:
/// forward-over-reverse gives g and H·A together. No weight gradients, nothing upstream of A re-runs.
/// </summary>
public sealed class LayerProbe
{
    /// <summary>A probe of <paramref name="model"/>.</summary>
    /// <param name="model">The model, imported for the batch size the probe will run (others: <see cref="Model.ForBatch"/>).</param>
    public LayerProbe(Model model)
    {
        Model = model;
    }

    /// <summary>The model.</summary>
    public Model Model { get; }

    /// <summary>The model built for batch <paramref name="n"/> (graph shapes are folded per batch size).</summary>
    public Model ForBatch(int n) => Model.ForBatch(n);

    /// <summary>Probes the request's layers (resolved, non-empty), utility, classes and layout for the batch <paramref name="input"/>.</summary>
    /// <param name="input">[N, 3, H, W].</param>
    /// <param name="request">The explanation's options.</param>
    /// <param name="withHvp">Also compute H·A.</param>
    public ProbeResult Run(Tensor input, ExplainOptions request, bool withHvp) =>
        Run(input, request.Layers, request.Utility, request.Classes, withHvp, request.Layout);

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
        var model = Model.WithKept(layers); // the graph optimised with the targets materialised
        var graph = model.Graph;
        foreach (var l in layers)
            if (!graph.Defines(l)) throw new ArgumentException($"the model has no tensor named '{l}'");
        string output = model.OutputName;
        var sidesOf = layers.Distinct().ToDictionary(l => l, l => graph.SideInputs([l], [output]), StringComparer.Ordinal);
        // the forward pass stops at the targets: each head sweep computes the logits anyway (the first one's are the
        // result's, and pick the top-1 classes), so the head's layers (a classifier's whole matrix) run once less
        var fetch = layers.Concat(sidesOf.Values.SelectMany(s => s)).Distinct().ToArray();
        var forward = model.Run(input, fetch);
        int n = input.Shape[0];
        if (classes is { Length: 1 } && n > 1) classes = Enumerable.Repeat(classes[0], n).ToArray();
        Tensor? logits = null;

        var result = new List<LayerSignals>(layers.Count);
        foreach (var layer in layers)
        {
            var a = forward[layer];
            var sideInputs = sidesOf[layer].ToDictionary(s => s, s => forward[s], StringComparer.Ordinal);
            var given = new Dictionary<string, Tensor>(sideInputs, StringComparer.Ordinal);
            Tensor U(Tensor z)
            {
                given[layer] = z;
                var o = Logits(model.Executor.Evaluate(given, [output])[output]);
                if (logits is null)
                {
                    logits = o.Value; // the plain values under the derivative levels
                    classes ??= TopOne(logits);
                }
                return Utilities.Evaluate(utility, o, classes!);
            }
            Tensor g, hv;
            if (withHvp) (g, hv) = Ad.GradAndHvp(U, a, a);
            else (g, hv) = (Ad.Grad(U, a), null!);
            var l = Layouts.Resolve(layout, a.Shape, layer);
            result.Add(new LayerSignals(layer, Layouts.ToNchw(a, l, layer), Layouts.ToNchw(g, l, layer),
                withHvp ? Layouts.ToNchw(hv, l, layer) : null)
            { Layout = l, NativeActivations = a, SideInputs = sideInputs });
        }
        return new ProbeResult(logits!, classes!, result);
    }

    /// <summary>
    /// The logits [B, K] of the head alone evaluated on a batch of variants of one image's activation at a target
    /// layer (e.g. with channels ablated). The head's other inputs are that image's, repeated; the head runs in the
    /// model imported for batch B.
    /// </summary>
    /// <param name="signals">The layer's signals from <see cref="Run(Tensor, ExplainOptions, bool)"/>.</param>
    /// <param name="image">The image whose side inputs are used.</param>
    /// <param name="activations">[B, C, h, w] (the NCHW view, like <see cref="LayerSignals.Activations"/>).</param>
    public Tensor EvaluateHead(LayerSignals signals, int image, Tensor activations)
    {
        int b = activations.Shape[0];
        var model = ForBatch(b).WithKept([signals.Layer]);
        var native = signals.NativeActivations ?? signals.Activations;
        var given = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [signals.Layer] = Layouts.FromNchw(activations, signals.Layout, ImageOf(native, image), signals.Layer),
        };
        int n = native.Shape[0];
        foreach (var (name, t) in signals.SideInputs)
            given[name] = t.Rank > 0 && t.Shape[0] == n ? Repeat(ImageOf(t, image), b) : t;
        return Logits(model.Executor.Evaluate(given, [model.OutputName])[model.OutputName]);
    }

    /// <summary>The logits [B, K] of the full model on a batch of inputs [B, 3, H, W] (imported for batch B on demand).</summary>
    public Tensor EvaluateModel(Tensor inputs) => Logits(ForBatch(inputs.Shape[0]).Run(inputs));

    private static Tensor ImageOf(Tensor t, int image) => t.Slice([image], [image + 1], [0]);

    private static Tensor Repeat(Tensor one, int b)
    {
        if (b == 1) return one;
        var shape = (int[])one.Shape.Clone();
        shape[0] = b;
        return one.BroadcastTo(shape);
    }

    /// <summary>The output as logits [N, K] (see <see cref="ClassifierOutput.ToLogits"/>).</summary>
    internal static Tensor Logits(Tensor output) => ClassifierOutput.ToLogits(output);

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
