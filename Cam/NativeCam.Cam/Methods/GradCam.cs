using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>GradCAM: w_k = mean_ij g_k; map = Σ_k w_k·A_k.</summary>
public sealed class GradCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "gradcam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => A(s).ScaleChannels(G(s).ChannelMeans());
}
