using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>GradCAM-ElementWise: map = Σ_k ReLU(g_k ⊙ A_k).</summary>
public sealed class GradCamElementWise : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "gradcam-elementwise";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => (G(s) * A(s)).Relu();
}
