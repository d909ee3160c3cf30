using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>XGradCAM: w_k = Σ_ij g_k·A_k / (Σ_ij A_k + 1e-7); map = Σ_k w_k·A_k.</summary>
public sealed class XGradCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "xgradcam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var num = (G(s) * a).ChannelSums();
        var den = a.ChannelSums() + 1e-7;
        return a.ScaleChannels(num / den);
    }
}
