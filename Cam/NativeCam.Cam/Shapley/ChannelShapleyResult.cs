using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Shapley;

/// <summary>Sampled channel-Shapley values of one image next to ShapleyCAM's and GradCAM's closed forms.</summary>
/// <param name="Layer">The target tensor.</param>
/// <param name="Utility">u.</param>
/// <param name="Class">The class explained.</param>
/// <param name="Estimate">The sampled Shapley values of the channel game.</param>
/// <param name="ShapleyCamContributions">Σ_ij A·(g − ½·H·A) per channel.</param>
/// <param name="GradCamContributions">Σ_ij A·g per channel.</param>
/// <param name="TopK">k of the top-k overlaps.</param>
public sealed record ChannelShapleyResult(string Layer, Utility Utility, int Class, ShapleyEstimate Estimate,
    double[] ShapleyCamContributions, double[] GradCamContributions, int TopK)
{
    /// <summary>Spearman's ρ between the sampled values and ShapleyCAM's.</summary>
    public double SpearmanShapleyCam => RankStatistics.Spearman(Estimate.Values, ShapleyCamContributions);

    /// <summary>Spearman's ρ between the sampled values and GradCAM's.</summary>
    public double SpearmanGradCam => RankStatistics.Spearman(Estimate.Values, GradCamContributions);

    /// <summary>Pearson's r between the sampled values and ShapleyCAM's.</summary>
    public double PearsonShapleyCam => RankStatistics.Pearson(Estimate.Values, ShapleyCamContributions);

    /// <summary>Pearson's r between the sampled values and GradCAM's.</summary>
    public double PearsonGradCam => RankStatistics.Pearson(Estimate.Values, GradCamContributions);

    /// <summary>Share of the top-k sampled channels that are also ShapleyCAM's top-k.</summary>
    public double TopKOverlapShapleyCam => RankStatistics.TopKOverlap(Estimate.Values, ShapleyCamContributions, TopK);

    /// <summary>Share of the top-k sampled channels that are also GradCAM's top-k.</summary>
    public double TopKOverlapGradCam => RankStatistics.TopKOverlap(Estimate.Values, GradCamContributions, TopK);

    /// <summary>The mean standard error over the population standard deviation of the sampled values.</summary>
    public double RelativeStdError
    {
        get
        {
            var v = Estimate.Values;
            double mean = v.Average(), sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length);
            return sd > 0 ? Estimate.MeanStdError / sd : double.NaN;
        }
    }
}
