using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>HiResCAM: map = Σ_k g_k ⊙ A_k.</summary>
public sealed class HiResCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "hirescam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => G(s) * A(s);
}
