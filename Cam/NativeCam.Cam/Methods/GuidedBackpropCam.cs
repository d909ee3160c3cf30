using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// Guided backpropagation (Springenberg et al. 2015): ∂u/∂x with every ReLU and Clip (also those fused into
/// convolutions) back-propagating by the guided rule (<see cref="NativeCam.Engine.Autodiff.GuidedBackprop"/>).
/// The map is max_c |·| over the colour channels, at the input's resolution; the target layers are not used.
/// </summary>
public sealed class GuidedBackpropCam : CamMethod
{
    private (CamContext Context, Tensor Map)? _last;

    /// <inheritdoc/>
    public override string Name => "guided-backprop";

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context)
    {
        if (_last is { } l && ReferenceEquals(l.Context, context)) return l.Map;
        var map = MaxAbsOverChannels(Gradient(context));
        _last = (context, map);
        return map;
    }

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) =>
        throw new NotSupportedException("guided-backprop is a map of the input; it has no per-channel contributions at a layer");

    /// <summary>The guided gradient [N, 3, H, W] for the context's utility and classes.</summary>
    public static Tensor Gradient(CamContext context) =>
        InputGradients.Compute(context.Probe.Model, context.Input, context.Utility, context.Result.Classes, guided: true);

    /// <summary>max_c |x[n, c, i, j]|, [N, H, W].</summary>
    public static Tensor MaxAbsOverChannels(Tensor x)
    {
        int n = x.Shape[0], c = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        var v = x.ToArray();
        var r = new double[n * plane];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int q = 0; q < plane; q++)
                    r[i * plane + q] = Math.Max(r[i * plane + q], Math.Abs(v[(i * c + ch) * plane + q]));
        return Tensor.FromArray(r, [n, x.Shape[2], x.Shape[3]]);
    }
}
