namespace NativeCam.Cam.Metrics;

/// <summary>
/// Dataset averages of the faithfulness metrics, as fractions (not percent): Average Drop, Increase in Confidence,
/// Average Drop in Deletion, Complexity, Coherency (NaN when no image had m′) and ADCC.
/// </summary>
public sealed record MetricsSummary(int Count, double AverageDrop, double IncreaseInConfidence, double AverageDropInDeletion,
    double Complexity, double Coherency, double Adcc)
{
    /// <summary>Averages the per-image records; ADCC from the averages.</summary>
    public static MetricsSummary Aggregate(IReadOnlyList<ImageMetrics> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int n = images.Count;
        if (n == 0)
            return new MetricsSummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double ad = 0, ic = 0, add = 0, com = 0, coh = 0;
        int cohCount = 0;
        foreach (var r in images)
        {
            ad += r.Drop;
            ic += r.Increase;
            add += r.DeletionDrop;
            com += r.Complexity;
            if (r.Coherency is { } c)
            {
                coh += c;
                cohCount++;
            }
        }
        ad /= n;
        ic /= n;
        add /= n;
        com /= n;
        coh = cohCount > 0 ? coh / cohCount : double.NaN;
        return new MetricsSummary(n, ad, ic, add, com, coh, AdccOf(coh, com, ad));
    }

    /// <summary>ADCC = 3 / (1/Coh + 1/(1 − Com) + 1/(1 − AD)), all as fractions; 0 when any term is 0.</summary>
    public static double AdccOf(double coherency, double complexity, double averageDrop)
    {
        double a = coherency, b = 1 - complexity, c = 1 - averageDrop;
        if (double.IsNaN(a) || double.IsNaN(b) || double.IsNaN(c))
            return double.NaN;
        if (a <= 0 || b <= 0 || c <= 0)
            return 0;
        return 3 / (1 / a + 1 / b + 1 / c);
    }
}
