using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

public class PearsonTests
{
    [Fact]
    public void LinearMapsCorrelatePerfectly()
    {
        float[] a = [0.1f, 0.5f, 0.2f, 0.9f];
        Assert.Equal(1, Pearson.Correlation(a, a.Select(v => 3 * v + 1).ToArray()), 6);
        Assert.Equal(-1, Pearson.Correlation(a, a.Select(v => -2 * v).ToArray()), 6);
    }

    [Fact]
    public void HandComputedCase()
    {
        // a = [1,2,3], b = [1,3,2]: deviations (−1,0,1) and (−1,1,0): Σab = 1, Σa² = Σb² = 2 → 0.5
        Assert.Equal(0.5, Pearson.Correlation([1f, 2f, 3f], [1f, 3f, 2f]), 12);
    }

    [Fact]
    public void MatchesTheTextbookFormula()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 50).Select(_ => (float)rng.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 50).Select(_ => (float)rng.NextDouble()).ToArray();
        double ma = a.Average(v => (double)v), mb = b.Average(v => (double)v);
        double sab = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        double saa = a.Sum(x => (x - ma) * (x - ma)), sbb = b.Sum(y => (y - mb) * (y - mb));
        Assert.Equal(sab / Math.Sqrt(saa * sbb), Pearson.Correlation(a, b), 10);
    }

    [Fact]
    public void ConstantMapsCountAsZero()
    {
        float[] a = [0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f];
        float[] b = [0.1f, 0.7f, 0.2f, 0.4f, 0.9f, 0f, 1f];
        Assert.Equal(0, Pearson.Correlation(a, b));
        Assert.Equal(0, Pearson.Correlation(b, a));
        Assert.Equal(0, Pearson.Correlation(a, a));
    }

    [Fact]
    public void NonFiniteMapsCountAsZero()
    {
        float[] b = [0.1f, 0.7f, 0.2f, 0.4f];
        Assert.Equal(0, Pearson.Correlation([0.1f, float.NaN, 0.2f, 0.5f], b));
        Assert.Equal(0, Pearson.Correlation(b, [0.1f, float.PositiveInfinity, 0.2f, 0.5f]));
    }
}
