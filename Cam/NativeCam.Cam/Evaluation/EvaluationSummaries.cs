using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Evaluation;

/// <summary>Dataset figures from per-image rows: the same computation for a whole run and for merged shards.</summary>
public static class EvaluationSummaries
{
    /// <summary>
    /// One method's figures from its rows (other methods' rows are ignored). Rows are taken in ordinal order of the
    /// image name, so the sums (and thus the figures, to the last bit) do not depend on the order they came in.
    /// AD, IC, ADD, complexity, coherency: means; ADCC from those means (<see cref="MetricsSummary.AdccOf"/>);
    /// ROADCombined, deletion/insertion AUC: means of the per-image values; mean curves: elementwise means. A family
    /// is null unless every row has it.
    /// </summary>
    /// <exception cref="ArgumentException">Curves of different lengths.</exception>
    public static MethodSummary Summarize(string method, IEnumerable<ImageResult> rows)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rows);
        var mine = rows.Where(r => r.Method == method).OrderBy(r => r.Image, StringComparer.Ordinal).ToList();
        var m = MetricsSummary.Aggregate(mine.Select(r => new ImageMetrics(r.ClassIndex, r.Y, r.O, r.D, r.Complexity, r.Coherency)).ToList());
        bool any = mine.Count > 0;
        bool coherent = any && mine.All(r => r.Coherency is not null);
        double? road = any && mine.All(r => r.Road is not null) ? mine.Average(r => r.Road!.Combined) : null;
        var (deletionAuc, deletionCurve) = Curves(method, "deletion", mine, r => r.DeletionCurve);
        var (insertionAuc, insertionCurve) = Curves(method, "insertion", mine, r => r.InsertionCurve);
        return new MethodSummary(method, mine.Count, m.AverageDrop, m.IncreaseInConfidence, m.AverageDropInDeletion,
            coherent ? m.Coherency : null, m.Complexity, coherent ? m.Adcc : null, road, deletionAuc, insertionAuc,
            any ? mine.Average(r => r.Seconds) : double.NaN, deletionCurve, insertionCurve)
        {
            Attribution = AttributionSummary.Of(mine),
        };
    }

    /// <summary>The figures of each method, in the given order.</summary>
    public static IReadOnlyList<MethodSummary> Summarize(IReadOnlyList<string> methods, IReadOnlyList<ImageResult> rows) =>
        methods.Select(m => Summarize(m, rows)).ToList();

    /// <summary>A report from per-image rows; <see cref="EvaluationReport.Images"/> counts the distinct images.</summary>
    public static EvaluationReport Report(string model, string layer, string utility, string? shard, IReadOnlyList<string> methods,
        IReadOnlyList<ImageResult> rows, EvaluationMetrics metrics) =>
        new(model, layer, utility, rows.Select(r => r.Image).Distinct(StringComparer.Ordinal).Count(), shard,
            Summarize(methods, rows), rows)
        {
            Metrics = EvaluationMetricNames.Format(metrics),
        };

    private static (double? Auc, double[]? Mean) Curves(string method, string kind, List<ImageResult> rows, Func<ImageResult, double[]?> curve)
    {
        if (rows.Count == 0 || rows.Any(r => curve(r) is null))
            return (null, null);
        int points = curve(rows[0])!.Length;
        var mean = new double[points];
        double auc = 0;
        foreach (var r in rows)
        {
            var c = curve(r)!;
            if (c.Length != points)
                throw new ArgumentException($"{method}: the {kind} curve of {r.Image} has {c.Length} points, that of {rows[0].Image} {points}");
            for (int k = 0; k < points; k++)
                mean[k] += c[k];
            auc += PixelCurves.TrapezoidAuc(c);
        }
        for (int k = 0; k < points; k++)
            mean[k] /= rows.Count;
        return (auc / rows.Count, mean);
    }
}
