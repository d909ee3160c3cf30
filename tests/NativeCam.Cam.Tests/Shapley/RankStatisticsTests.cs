using NativeCam.Cam.Shapley;

namespace NativeCam.Cam.Tests.Shapley;

public class RankStatisticsTests
{
    /// <summary>The average rank by its definition: 1 + #smaller + (#equal − 1)/2.</summary>
    private static double[] ReferenceRanks(double[] v) =>
        v.Select(x => 1 + v.Count(y => y < x) + (v.Count(y => y == x) - 1) / 2.0).ToArray();

    private static double ReferencePearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum();
        return sxy / Math.Sqrt(x.Sum(a => (a - mx) * (a - mx)) * y.Sum(b => (b - my) * (b - my)));
    }

    [Fact]
    public void SpearmanAveragesTiedRanks()
    {
        var rng = new Random(2);
        var x = Enumerable.Range(0, 40).Select(_ => (double)rng.Next(8)).ToArray(); // many ties
        var y = x.Select(v => v + rng.Next(3)).ToArray();
        Assert.Equal(ReferenceRanks(x), RankStatistics.Ranks(x));
        double expected = ReferencePearson(ReferenceRanks(x), ReferenceRanks(y));
        Assert.Equal(expected, RankStatistics.Spearman(x, y), 12);
        Assert.InRange(expected, 0.3, 0.999);
    }

    [Fact]
    public void SpearmanIsOneForAMonotoneMapAndMinusOneReversed()
    {
        var x = Enumerable.Range(0, 25).Select(i => Math.Sin(i * 1.7)).ToArray();
        Assert.Equal(1.0, RankStatistics.Spearman(x, x.Select(Math.Exp).ToArray()), 12);
        Assert.Equal(-1.0, RankStatistics.Spearman(x, x.Select(v => -v * v * v).ToArray()), 12);
        Assert.True(RankStatistics.Pearson(x, x.Select(Math.Exp).ToArray()) < 0.999);
    }

    [Fact]
    public void PearsonMatchesTheDefinitionAndIsUndefinedForAConstant()
    {
        var rng = new Random(4);
        var x = Enumerable.Range(0, 30).Select(_ => rng.NextDouble()).ToArray();
        var y = x.Select(v => v + rng.NextDouble()).ToArray();
        Assert.Equal(ReferencePearson(x, y), RankStatistics.Pearson(x, y), 12);
        Assert.True(double.IsNaN(RankStatistics.Pearson(x, new double[30])));
        Assert.Throws<ArgumentException>(() => RankStatistics.Pearson(x, y[..10]));
    }

    [Fact]
    public void TopKOverlapCountsSharedLeaders()
    {
        double[] x = [9, 8, 7, 6, 5, 4];
        double[] y = [9, 1, 7, 8, 5, 0];
        Assert.Equal(2 / 3.0, RankStatistics.TopKOverlap(x, y, 3), 12); // {0,1,2} vs {0,3,2}
        Assert.Equal(1.0, RankStatistics.TopKOverlap(x, y, 10)); // k capped at n
    }
}
