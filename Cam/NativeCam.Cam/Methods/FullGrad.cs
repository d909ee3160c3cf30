using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// FullGrad (Srinivas and Fleuret 2019) as pytorch-grad-cam computes it: per image,
/// Σ_c s(|∂u/∂x_c ⊙ x_c|) + Σ_layers Σ_k resize(s(|b_k·∂u/∂z_k|)), s the min-max scaling of one plane
/// (v − min, then / (1e-7 + max)), resize to the input (OpenCV INTER_LINEAR). The layers are every Conv and
/// BatchNormalization pre-activation (<see cref="BiasGradients"/>); the target layers are not used. Because the
/// resize is linear and preserves constants, Σ_k resize(s(·)) = resize(Σ_k s(·)): each layer is summed over its
/// channels first and resized once. The map is at the input's resolution.
/// </summary>
public sealed class FullGrad : CamMethod
{
    private (CamContext Context, Tensor Map)? _last;

    /// <inheritdoc/>
    public override string Name => "fullgrad";

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        // the map does not depend on the target layer: computed once per explanation
        if (_last is { } l && ReferenceEquals(l.Context, context)) return l.Map;
        var s = BiasGradients.Probe(context.Probe.Model, context.Input, context.Utility, context.Result.Classes);
        var x = context.Input;
        var layers = s.Layers.Select(b => (b.Bias, b.Gradient.ToArray(), b.Gradient.Shape)).ToList();
        var map = Map(s.InputGradient.ToArray(), x.ToArray(), x.Shape, layers);
        _last = (context, map);
        return map;
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) =>
        throw new NotSupportedException("fullgrad sums post-processed terms of every layer; it has no per-channel contributions at one layer");

    /// <summary>The FullGrad maps [N, H, W].</summary>
    /// <param name="inputGradient">∂u/∂x, shaped like <paramref name="input"/>.</param>
    /// <param name="input">x, [N, C, H, W].</param>
    /// <param name="shape">x's shape.</param>
    /// <param name="layers">Per layer: b [K], ∂u/∂z [N, K, h, w] and its shape.</param>
    public static Tensor Map(double[] inputGradient, double[] input, int[] shape,
        IReadOnlyList<(double[] Bias, double[] Gradient, int[] Shape)> layers)
    {
        int n = shape[0], c = shape[1], height = shape[2], width = shape[3], plane = height * width;
        var result = new double[n * plane];
        for (int i = 0; i < n; i++)
        {
            var sum = result.AsSpan(i * plane, plane);
            for (int ch = 0; ch < c; ch++)
            {
                int o = (i * c + ch) * plane;
                var t = new double[plane];
                for (int q = 0; q < plane; q++) t[q] = Math.Abs(inputGradient[o + q] * input[o + q]);
                AddScaled(sum, t);
            }
            foreach (var (bias, g, s) in layers)
            {
                int k = s[1], h = s[2], w = s[3];
                var layerSum = new double[h * w];
                for (int ch = 0; ch < k; ch++)
                {
                    int o = (i * k + ch) * h * w;
                    var t = new double[h * w];
                    for (int q = 0; q < t.Length; q++) t[q] = Math.Abs(bias[ch] * g[o + q]);
                    AddScaled(layerSum, t);
                }
                var up = CamPostProcessor.Resize(layerSum, h, w, height, width);
                for (int q = 0; q < plane; q++) sum[q] += up[q];
            }
        }
        return Tensor.FromArray(result, [n, height, width]);
    }

    /// <summary>sum += s(t), s the reference's min-max scaling (t is scaled in place).</summary>
    private static void AddScaled(Span<double> sum, double[] t)
    {
        CamPostProcessor.MinMax(t);
        for (int q = 0; q < t.Length; q++) sum[q] += t[q];
    }
}
