using System.Diagnostics;
using NativeCam.Cam.Methods;
using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cam;

/// <summary>
/// Explains an ONNX image classifier's decisions: probe the target layers once, then weight the signals by each
/// method and post-process the maps to the input's resolution.
/// </summary>
public sealed class Explainer
{
    private readonly Dictionary<int, OnnxModel> _byBatch = [];

    /// <summary>Wraps an imported model (imported for batch 1 or any batch; others are imported on demand).</summary>
    public Explainer(OnnxModel model)
    {
        Model = model;
        _byBatch[model.InputShape[0]] = model;
    }

    /// <summary>The model as first imported.</summary>
    public OnnxModel Model { get; }

    /// <summary>The model imported for batch <paramref name="n"/>.</summary>
    public OnnxModel ForBatch(int n)
    {
        if (!_byBatch.TryGetValue(n, out var m))
        {
            var shape = (int[])Model.InputShape.Clone();
            shape[0] = n;
            _byBatch[n] = m = Model.WithInputShape(shape);
        }
        return m;
    }

    /// <summary>Explains a batch of preprocessed images.</summary>
    /// <param name="input">[N, 3, H, W], normalised as the model expects.</param>
    public Explanation Explain(Tensor input, ExplainOptions? options = null)
    {
        var o = options ?? new ExplainOptions();
        var model = ForBatch(input.Shape[0]);
        var methods = o.Methods.Select(CamMethods.Create).ToArray();
        var layers = o.Layers.Count > 0 ? o.Layers.ToArray() : [LayerSelection.Auto(model)];
        var probe = new LayerProbe(model);

        var clock = Stopwatch.StartNew();
        bool hvp = methods.Any(m => m.NeedsHvp);
        var result = probe.Run(input, layers, o.Utility, o.Classes, hvp, o.Layout);
        double probeSeconds = clock.Elapsed.TotalSeconds;

        int h = input.Shape[2], w = input.Shape[3];
        var context = new CamContext(probe, input, result, o.Utility, o.Seed, o.BatchSize);
        var maps = new List<MethodMaps>();
        foreach (var m in methods)
        {
            clock.Restart();
            var perLayer = result.Layers.Select(s => m.Compute(s, context)).ToList();
            maps.Add(new MethodMaps(m.Name, CamPostProcessor.Finalize(perLayer, h, w), clock.Elapsed.TotalSeconds));
        }
        var probs = Softmax(result.Logits);
        return new Explanation(probs, result.Classes, layers, h, w, maps, result, probeSeconds);
    }

    private static float[][] Softmax(Tensor logits)
    {
        var p = logits.Softmax(1).ToFloatArray();
        int n = logits.Shape[0], k = logits.Shape[1];
        return Enumerable.Range(0, n).Select(i => p[(i * k)..((i + 1) * k)]).ToArray();
    }
}
