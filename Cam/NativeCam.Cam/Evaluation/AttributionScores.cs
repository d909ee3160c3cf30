namespace NativeCam.Cam.Evaluation;

/// <summary>The attribution metrics of one image under one method; a field is null when its metric was not asked.</summary>
/// <param name="Arcc">ARCC (pytorch-grad-cam 1.5.5's harmonic mean of coherency, 1 − complexity and clipped 2·ROAD).</param>
/// <param name="FaithfulnessCorrelation">Bhatt et al.'s faithfulness correlation (Quantus' definition); NaN when undefined.</param>
/// <param name="Monotonic">Arya et al.'s monotonicity: 1 when the insertion probabilities never decrease, else 0.</param>
/// <param name="RandomizationSpearman">Model randomisation: Spearman's ρ of the map with the original after randomising the top 1, 2, … weight layers.</param>
/// <param name="RandomizationSsim">Model randomisation: SSIM of the map with the original, same order.</param>
/// <param name="RandomLogitClass">Random logit: the other class explained.</param>
/// <param name="RandomLogitSsim">Random logit: SSIM of that class's map with the explained class's.</param>
public sealed record AttributionScores(
    double? Arcc = null,
    double? FaithfulnessCorrelation = null,
    double? Monotonic = null,
    double[]? RandomizationSpearman = null,
    double[]? RandomizationSsim = null,
    int? RandomLogitClass = null,
    double? RandomLogitSsim = null);

/// <summary>The dataset figures of the attribution metrics of one method: means over the images (NaN scores skipped).</summary>
/// <param name="Arcc">Mean ARCC.</param>
/// <param name="FaithfulnessCorrelation">Mean faithfulness correlation over the images where it is defined.</param>
/// <param name="Monotonicity">Share of monotonic images.</param>
/// <param name="RandomizationSpearman">Mean ρ per number of randomised layers.</param>
/// <param name="RandomizationSsim">Mean SSIM per number of randomised layers.</param>
/// <param name="RandomLogitSsim">Mean SSIM of the random-logit check.</param>
public sealed record AttributionSummary(
    double? Arcc = null,
    double? FaithfulnessCorrelation = null,
    double? Monotonicity = null,
    double[]? RandomizationSpearman = null,
    double[]? RandomizationSsim = null,
    double? RandomLogitSsim = null)
{
    /// <summary>The summary of a method's rows; null when no row has attribution scores.</summary>
    public static AttributionSummary? Of(IReadOnlyList<ImageResult> rows)
    {
        var scores = rows.Select(r => r.Attribution).ToList();
        if (scores.Count == 0 || scores.Any(s => s is null)) return null;
        var all = scores.Select(s => s!).ToList();
        double? Mean(Func<AttributionScores, double?> f) =>
            all.All(s => f(s) is not null) ? MeanOfFinite(all.Select(s => f(s)!.Value)) : null;
        double[]? Curve(Func<AttributionScores, double[]?> f)
        {
            if (all.Any(s => f(s) is null)) return null;
            int k = all.Min(s => f(s)!.Length);
            return Enumerable.Range(0, k).Select(i => MeanOfFinite(all.Select(s => f(s)![i]))).ToArray();
        }
        return new AttributionSummary(Mean(s => s.Arcc), Mean(s => s.FaithfulnessCorrelation), Mean(s => s.Monotonic),
            Curve(s => s.RandomizationSpearman), Curve(s => s.RandomizationSsim), Mean(s => s.RandomLogitSsim));
    }

    private static double MeanOfFinite(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }
}
