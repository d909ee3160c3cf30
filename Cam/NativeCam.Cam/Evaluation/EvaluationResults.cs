namespace NativeCam.Cam.Evaluation;

/// <summary>ROAD scores of one image: probability of the class after removing the top (MoRF) or bottom (LeRF) p% of pixels.</summary>
/// <param name="Percentiles">The removal percentiles, e.g. 20, 40, 60, 80.</param>
/// <param name="MoRF">Probability after removing the most relevant p% (one entry per percentile).</param>
/// <param name="LeRF">Probability after removing the least relevant p% (one entry per percentile).</param>
/// <param name="Combined">Mean over percentiles of (LeRF − MoRF)/2.</param>
public sealed record RoadScores(double[] Percentiles, double[] MoRF, double[] LeRF, double Combined);

/// <summary>Every score of one image under one method (the per-image row of an evaluation).</summary>
/// <param name="Image">The image's file name, relative to the evaluated folder.</param>
/// <param name="Method">The CAM method.</param>
/// <param name="ClassIndex">The predicted class c that was explained and scored.</param>
/// <param name="Y">p_c(x).</param>
/// <param name="O">p_c(x ⊙ m).</param>
/// <param name="D">p_c(x ⊙ (1 − m)).</param>
/// <param name="Complexity">Σ|m| / (H·W).</param>
/// <param name="Coherency">(pearson(m, m′) + 1)/2; null when the ADCC metrics were not requested.</param>
/// <param name="Road">ROAD scores; null when not requested.</param>
/// <param name="DeletionCurve">Probability after deleting each step's pixels (first entry: nothing deleted); null when not requested.</param>
/// <param name="InsertionCurve">Probability after inserting each step's pixels (first entry: nothing inserted); null when not requested.</param>
/// <param name="Seconds">Wall time spent on this image and method (CAM and scoring).</param>
public sealed record ImageResult(
    string Image,
    string Method,
    int ClassIndex,
    double Y,
    double O,
    double D,
    double Complexity,
    double? Coherency,
    RoadScores? Road,
    double[]? DeletionCurve,
    double[]? InsertionCurve,
    double Seconds)
{
    /// <summary>The label of <see cref="ClassIndex"/> when the model has labels (null otherwise).</summary>
    public string? ClassName { get; init; }

    /// <summary>The attribution metrics (ARCC, faithfulness correlation, monotonicity, sanity checks); null when none was asked.</summary>
    public AttributionScores? Attribution { get; init; }
}

/// <summary>The dataset figures of one method (every metric a fraction, not percent).</summary>
public sealed record MethodSummary(
    string Method,
    int Images,
    double AverageDrop,
    double IncreaseInConfidence,
    double AverageDropInDeletion,
    double? Coherency,
    double Complexity,
    double? Adcc,
    double? RoadCombined,
    double? DeletionAuc,
    double? InsertionAuc,
    double SecondsPerImage,
    double[]? MeanDeletionCurve,
    double[]? MeanInsertionCurve)
{
    /// <summary>The attribution metrics' figures; null when none was asked.</summary>
    public AttributionSummary? Attribution { get; init; }
}

/// <summary>A whole evaluation (or one shard of it): settings, per-method figures and every per-image row.</summary>
/// <param name="Model">The model's name or path.</param>
/// <param name="Layer">The target layer(s).</param>
/// <param name="Utility">The utility the CAMs differentiate (scores always use the softmax probability).</param>
/// <param name="Images">Number of distinct images evaluated.</param>
/// <param name="Shard">"K/N" for a partial result, null for a whole run or a merge.</param>
/// <param name="Results">Per-method figures, in the order the methods were given.</param>
/// <param name="PerImage">Every (image, method) row; merges recompute <paramref name="Results"/> from these.</param>
public sealed record EvaluationReport(
    string Model,
    string Layer,
    string Utility,
    int Images,
    string? Shard,
    IReadOnlyList<MethodSummary> Results,
    IReadOnlyList<ImageResult> PerImage)
{
    /// <summary>The metric families computed ("adcc", "road", "deletion", "insertion"); null when unknown.</summary>
    public IReadOnlyList<string>? Metrics { get; init; }
}
