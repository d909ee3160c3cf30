using NativeCam.Cam.Probe;
using NativeCam.Cam.Smoothing;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>
/// EigenCAM: the projection of A (per image reshaped to hw×C, columns centred) on its first right singular vector
/// (see <see cref="EigenProjection"/> for the sign). Needs no gradients.
/// </summary>
public sealed class EigenCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "eigencam";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals signals, CamContext context) => EigenProjection.Project(Contributions(signals, context));

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context) => A(s);
}
