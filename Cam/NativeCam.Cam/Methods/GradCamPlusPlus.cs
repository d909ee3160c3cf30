using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// GradCAM++ as the reference library computes it: α = g² / (2g² + (Σ_ij A_k)·g³ + 1e-6), 0 where g = 0;
/// w_k = Σ_ij α·ReLU(g); map = Σ_k w_k·A_k (exact only for an exp(logit) score).
/// </summary>
public sealed class GradCamPlusPlus : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "gradcam++";

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        var g = G(s);
        var sumA = a.PlaneSums();
        var w = new double[sumA.Length];
        for (int p = 0; p < w.Length; p++)
        {
            double acc = 0;
            for (int q = 0; q < g.Plane; q++)
            {
                double gv = g.Data[p * g.Plane + q];
                if (gv == 0) continue;
                double g2 = gv * gv;
                double alpha = g2 / (2 * g2 + sumA[p] * g2 * gv + 1e-6);
                acc += alpha * Math.Max(gv, 0);
            }
            w[p] = acc;
        }
        return a.ScaleChannels(w);
    }
}
