using System.Collections.Concurrent;
using System.Diagnostics;
using NativeCam.Cam.Methods;
using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Cam.Smoothing;
using NativeCam.Engine;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam;

/// <summary>
/// Explains an ONNX image classifier's decisions: probe the target layers once, then weight the signals by each
/// method and post-process the maps to the input's resolution.
/// </summary>
public sealed class Explainer
{
    /// <summary>Wraps an imported model (imported for batch 1 or any batch; others are built on demand).</summary>
    /// <remarks>An explainer may be shared by threads: explanations keep no state in it, and each batch size is
    /// built once even when threads need it at the same time.</remarks>
    /// <exception cref="ClassifierOutputException">The model's output is not a classifier's.</exception>
    public Explainer(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Output = ClassifierOutput.Of(model);
        Model = model;
    }

    /// <summary>The explained output, checked to be a classifier's.</summary>
    public ClassifierOutput Output { get; }

    /// <summary>The model as first imported.</summary>
    public Model Model { get; }

    /// <summary>The model built for batch <paramref name="n"/> (<see cref="Model.ForBatch"/>).</summary>
    public Model ForBatch(int n) => Model.ForBatch(n);

    // the automatic target layer of each batch size's model (a walk over the whole graph: found once)
    private readonly ConcurrentDictionary<Model, string> _autoLayers = new(ReferenceEqualityComparer.Instance);

    /// <summary>Explains a batch of preprocessed images.</summary>
    /// <param name="input">[N, 3, H, W], normalised as the model expects.</param>
    public Explanation Explain(Tensor input, ExplainOptions? options = null)
    {
        var o = options ?? new ExplainOptions();
        var plain = ExplainOnce(input, o, o.Classes);
        if (!o.AugSmooth) return plain;

        int h = plain.Height, w = plain.Width, n = input.Shape[0];
        var sums = plain.Methods.Select(_ => Enumerable.Range(0, n).Select(_ => new double[h * w]).ToArray()).ToArray();
        var seconds = new double[plain.Methods.Count];
        double probeSeconds = 0;
        foreach (var (flip, factor) in AugSmooth.Transforms)
        {
            var e = !flip && factor == 1.0 ? plain : ExplainOnce(AugSmooth.Augment(input, flip, factor), o, plain.Classes);
            probeSeconds += e.ProbeSeconds;
            for (int m = 0; m < e.Methods.Count; m++)
            {
                seconds[m] += e.Methods[m].Seconds;
                for (int i = 0; i < n; i++)
                {
                    var map = AugSmooth.Deaugment(e.Methods[m].Maps[i], h, w, flip);
                    for (int j = 0; j < map.Length; j++) sums[m][i][j] += map[j];
                }
            }
        }
        int count = AugSmooth.Transforms.Count;
        var methods = plain.Methods.Select((mm, m) => new MethodMaps(mm.Method,
            sums[m].Select(s => Array.ConvertAll(s, v => (float)(v / count))).ToArray(), seconds[m]) { Extras = mm.Extras }).ToList();
        return plain with { Methods = methods, ProbeSeconds = probeSeconds };
    }

    private Explanation ExplainOnce(Tensor input, ExplainOptions o, int[]? classes)
    {
        var model = ForBatch(input.Shape[0]);
        var methods = o.Methods.Select(CamMethods.Create).ToArray();
        var layers = o.Layers.Count > 0 ? o.Layers.ToArray() : [_autoLayers.GetOrAdd(model, LayerSelection.Auto)];
        var probe = new LayerProbe(model);

        var clock = Stopwatch.StartNew();
        bool hvp = o.WithHvp || methods.Any(m => m.NeedsHvp);
        ProbeResult result;
        // the probe's forward pass and head sweep in a scope: all their tensors but the signals returned are disposed
        // here and their memory lent to the next explanation's probe (the methods run outside it: a scope holds every
        // tensor made inside until it ends, too much for a method that runs the model hundreds of times)
        using (var scope = TensorScope.Begin())
        {
            result = probe.Run(input, o with { Layers = layers, Classes = classes }, hvp);
            Keep(scope, result);
        }
        double probeSeconds = clock.Elapsed.TotalSeconds;

        int h = input.Shape[2], w = input.Shape[3];
        var context = new CamContext(probe, input, result, o.Utility, o.Seed, o.BatchSize, o.EigenSmooth, o.Parameters, o.ImageIndex, o.Call, o.ImageIndices);
        var maps = new List<MethodMaps>();
        foreach (var m in methods)
        {
            clock.Restart();
            using var scope = m.FromSignalsAlone ? TensorScope.Begin() : null; // maps come back as host arrays
            var perLayer = result.Layers.Select(s => m.Compute(s, context)).ToList();
            maps.Add(new MethodMaps(m.Name, m.Combine(perLayer, h, w), clock.Elapsed.TotalSeconds)
            {
                Extras = (m as Attribution.IMethodExtras)?.Extras,
            });
        }
        var probs = Softmax(result.Logits);
        return new Explanation(probs, result.Classes, layers, h, w, maps, result, probeSeconds);
    }

    /// <summary>Takes the signals an explanation returns out of <paramref name="scope"/>.</summary>
    private static void Keep(TensorScope scope, ProbeResult result)
    {
        scope.Keep(result.Logits);
        foreach (var s in result.Layers)
        {
            scope.Keep(s.Activations);
            scope.Keep(s.Gradients);
            if (s.HessianTimesActivations is { } ha) scope.Keep(ha);
            if (s.NativeActivations is { } native) scope.Keep(native);
            foreach (var side in s.SideInputs.Values) scope.Keep(side);
        }
    }

    private static float[][] Softmax(Tensor logits)
    {
        var p = logits.Softmax(1).ToFloatArray();
        int n = logits.Shape[0], k = logits.Shape[1];
        return Enumerable.Range(0, n).Select(i => p[(i * k)..((i + 1) * k)]).ToArray();
    }
}
