using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Methods;

/// <summary>GradCAM: w_k = mean_ij g_k; map = Σ_k w_k·A_k.</summary>
public sealed class GradCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "gradcam";

    /// <inheritdoc/>
    public override Tensor Compute(LayerSignals s, CamContext context) =>
        WeightedSum(s.Gradients.Mean([2, 3]), s.Activations);
}
