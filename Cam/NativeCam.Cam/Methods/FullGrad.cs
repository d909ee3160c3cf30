using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Kernels;

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
        var map = Map(s.InputGradient, context.Input, s.Layers.Select(b => (b.Bias, b.Gradient)).ToList());
        _last = (context, map);
        return map;
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) =>
        throw new NotSupportedException("fullgrad sums post-processed terms of every layer; it has no per-channel contributions at one layer");

    /// <summary>The FullGrad maps [N, H, W], float64 tensor operations on the input's backend.</summary>
    /// <param name="inputGradient">∂u/∂x, shaped like <paramref name="input"/>.</param>
    /// <param name="input">x, [N, C, H, W].</param>
    /// <param name="layers">Per layer: b [K] and ∂u/∂z [N, K, h, w].</param>
    public static Tensor Map(Tensor inputGradient, Tensor input, IReadOnlyList<(double[] Bias, Tensor Gradient)> layers)
    {
        int height = input.Shape[2], width = input.Shape[3];
        var backend = input.Backend;
        var sum = ScaledChannelSum((inputGradient.ToDType(DType.Float64) * input.ToDType(DType.Float64)).Abs());
        foreach (var (bias, g) in layers)
        {
            var b = Tensor.FromArray(bias, [1, bias.Length, 1, 1], backend);
            sum = sum + CamPostProcessor.Resize(ScaledChannelSum((g.ToDType(DType.Float64) * b).Abs()), height, width);
        }
        return sum;
    }

    /// <summary>Σ_k s(t_k) over the channels of t [N, K, h, w], s the min-max scaling of one plane.</summary>
    private static Tensor ScaledChannelSum(Tensor t)
    {
        int n = t.Shape[0], k = t.Shape[1], h = t.Shape[2], w = t.Shape[3];
        return CamPostProcessor.MinMax(t.Reshape(n * k, h, w)).Reshape(n, k, h, w).Sum([1]);
    }
}
