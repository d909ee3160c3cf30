using NativeCam.Cam.Probe;
using NativeCam.Cam.Smoothing;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>EigenGradCAM: the first-principal-component projection (as EigenCAM) of g ⊙ A.</summary>
public sealed class EigenGradCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "eigengradcam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context) => EigenProjection.Project(Contributions(signals, context));

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => G(s) * A(s);
}
