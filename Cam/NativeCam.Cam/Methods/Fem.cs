using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Methods;

/// <summary>
/// FEM, the Feature Explanation Method (Fuad et al. 2020): per channel the k-sigma threshold t_k = μ_k + k·σ_k
/// (mean and population standard deviation over the plane); w_k = the fraction of the plane above t_k;
/// map = Σ_k w_k·A_k. Needs no gradients; k from <see cref="CamFamilyParameters.K"/> (default 2).
/// </summary>
public sealed class Fem : CamMethod
{
    /// <inheritdoc/>
    public override string Name => "fem";

    /// <inheritdoc/>
    public override bool FromSignalsAlone => true;

    /// <inheritdoc/>
    public override bool NeedsGradients => false;

    /// <inheritdoc/>
    public override CamField Contributions(LayerSignals s, CamContext context)
    {
        var a = A(s);
        return a.ScaleChannels(Weights(a, context.Settings.CamFamily.K));
    }

    /// <summary>w_k per (image, channel), [N·C].</summary>
    public static double[] Weights(CamField a, double k)
    {
        var w = new double[a.N * a.C];
        for (int p = 0; p < w.Length; p++)
        {
            var plane = a.Data.AsSpan(p * a.Plane, a.Plane);
            double mean = 0;
            foreach (double v in plane) mean += v;
            mean /= plane.Length;
            double var = 0;
            foreach (double v in plane) var += (v - mean) * (v - mean);
            double threshold = mean + k * Math.Sqrt(var / plane.Length);
            int above = 0;
            foreach (double v in plane) if (v > threshold) above++;
            w[p] = (double)above / plane.Length;
        }
        return w;
    }
}
