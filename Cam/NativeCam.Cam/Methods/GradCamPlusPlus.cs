using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// GradCAM++ as the reference library computes it: α = g² / (2g² + (Σ_ij A_k)·g³ + 1e-6), 0 where g = 0 (which the
/// formula gives by itself: 0 / 1e-6); w_k = Σ_ij α·ReLU(g); map = Σ_k w_k·A_k (exact only for an exp(logit) score).
/// </summary>
public sealed class GradCamPlusPlus : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "gradcam++";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var g = G(s).Tensor;
        var g2 = g.Square();
        var alpha = g2 / (2.0 * g2 + a.ChannelSums() * g2 * g + 1e-6);
        return a.ScaleChannels((alpha * g.Relu()).Sum([2, 3], keepDims: true));
    }
}
