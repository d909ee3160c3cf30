namespace NativeCam.Cam.Shapley;

/// <summary>Agreement between two attributions of the same players.</summary>
public static class RankStatistics
{
    /// <summary>Pearson's correlation (<see cref="Metrics.Pearson"/>); NaN when either vector is constant
    /// (<see cref="Metrics.PearsonEdge.NaN"/>).</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Metrics.Pearson.Correlation(x.ToArray(), y.ToArray(), Metrics.PearsonEdge.NaN);
    }

    /// <summary>Spearman's rank correlation: Pearson's of the ranks, tied values sharing their average rank.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Check(x, y);
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Ranks 1..n in ascending order; a run of equal values gets the mean of the ranks it spans.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        int n = values.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => values[i]).ToArray();
        var ranks = new double[n];
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && values[order[end]] == values[order[start]]) end++;
            double rank = (start + 1 + end) / 2.0; // mean of ranks start+1 … end
            for (int i = start; i < end; i++) ranks[order[i]] = rank;
            start = end;
        }
        return ranks;
    }

    /// <summary>|top-k(x) ∩ top-k(y)| / k, top-k being the k largest values (ties broken by the lower index).</summary>
    public static double TopKOverlap(IReadOnlyList<double> x, IReadOnlyList<double> y, int k)
    {
        Check(x, y);
        k = Math.Min(k, x.Count);
        if (k < 1) throw new ArgumentException($"k must be ≥ 1; got {k}");
        var top = Top(x, k).ToHashSet();
        return Top(y, k).Count(top.Contains) / (double)k;
    }

    private static IEnumerable<int> Top(IReadOnlyList<double> v, int k) =>
        Enumerable.Range(0, v.Count).OrderByDescending(i => v[i]).ThenBy(i => i).Take(k);

    private static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"vectors of different lengths ({x.Count} and {y.Count})");
        if (x.Count == 0) throw new ArgumentException("empty vectors");
    }
}
