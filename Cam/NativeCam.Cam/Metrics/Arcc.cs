namespace NativeCam.Cam.Metrics;

/// <summary>
/// ARCC as pytorch-grad-cam 1.5.5 computes it per image: its docstring calls it the geometric mean of complexity,
/// coherency and ROAD, but its code takes the harmonic mean, and so does this:
/// 3 / (1/(Coh + ε) + 1/((1 − Com) + ε) + 1/(R + ε)), ε = 1e-8, with R = clip(2·ROADCombined, 0, 1) (ROAD lies in
/// [−½, ½]). Coherency and complexity are this project's (<see cref="ImageMetrics"/>): the reference's coherency
/// divides by (σ_a·σ_b + 1e-8), a difference of order 1e-8 relative.
/// </summary>
public static class Arcc
{
    /// <summary>ARCC of one image.</summary>
    public static double Of(double coherency, double complexity, double roadCombined)
    {
        const double Eps = 1e-8;
        double road = Math.Clamp(roadCombined * 2, 0, 1);
        return 3 / (1 / (coherency + Eps) + 1 / (1 - complexity + Eps) + 1 / (road + Eps));
    }
}
