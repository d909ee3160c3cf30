using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>LayerCAM: map = Σ_k ReLU(g_k) ⊙ A_k.</summary>
public sealed class LayerCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "layercam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => G(s).Relu() * A(s);
}
