using NativeCam.Cam.Methods;

namespace NativeCam.Cam.Attribution;

/// <summary>
/// Saliency (Simonyan et al., 2014): |∂u/∂x| per input element, one reverse sweep through the whole model per image
/// (images batched); the plane is Σ_c |∂u/∂x_c| (Captum's Saliency with abs, summed over colour channels).
/// </summary>
public sealed class Saliency : InputAttribution
{
    /// <inheritdoc/>
    public override string Name => "saliency";

    /// <inheritdoc/>
    public override ChannelReduction Reduction => ChannelReduction.SumOfAbsolute;

    /// <inheritdoc/>
    public override double[] Attribute(CamContext context)
    {
        var g = InputGradient.Of(context);
        for (int i = 0; i < g.Length; i++) g[i] = Math.Abs(g[i]);
        return g;
    }
}
