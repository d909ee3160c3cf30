using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>XGradCAM: w_k = Σ_ij g_k·A_k / (Σ_ij A_k + 1e-7); map = Σ_k w_k·A_k.</summary>
public sealed class XGradCam : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "xgradcam";

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var num = G(s).Zip(a, (g, x) => g * x).PlaneSums();
        var den = a.PlaneSums();
        var w = new double[num.Length];
        for (int p = 0; p < w.Length; p++) w[p] = num[p] / (den[p] + 1e-7);
        return a.ScaleChannels(w);
    }
}
