using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

/// <summary>SSIM, faithfulness correlation, monotonicity and ARCC against plain implementations and hand-derived cases.</summary>
public class AttributionMetricTests
{
    private static float[] RandomMap(int n, int seed) { var r = new Random(seed); return Enumerable.Range(0, n).Select(_ => (float)r.NextDouble()).ToArray(); }

    /// <summary>scikit-image's structural_similarity as written in its documentation: uniform_filter (mode reflect) of
    /// x, y, x², y², xy; sample covariances; crop (win − 1)/2 at each border; mean.</summary>
    private static double PlainSsim(float[] a, float[] b, int h, int w)
    {
        const int Win = 7, Pad = 3;
        double range = Math.Max(a.Max(), b.Max()) - Math.Min(a.Min(), b.Min());
        int Reflect(int i, int n) => i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i;
        double[] Filter(Func<int, double> f)
        {
            var o = new double[h * w];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    double s = 0;
                    for (int dy = -Pad; dy <= Pad; dy++)
                        for (int dx = -Pad; dx <= Pad; dx++) s += f(Reflect(y + dy, h) * w + Reflect(x + dx, w));
                    o[y * w + x] = s / (Win * Win);
                }
            return o;
        }
        var ux = Filter(i => a[i]); var uy = Filter(i => b[i]);
        var uxx = Filter(i => (double)a[i] * a[i]); var uyy = Filter(i => (double)b[i] * b[i]); var uxy = Filter(i => (double)a[i] * b[i]);
        double cov = 49.0 / 48, c1 = Math.Pow(0.01 * range, 2), c2 = Math.Pow(0.03 * range, 2), sum = 0;
        int count = 0;
        for (int y = Pad; y < h - Pad; y++)
            for (int x = Pad; x < w - Pad; x++)
            {
                int i = y * w + x;
                double vx = cov * (uxx[i] - ux[i] * ux[i]), vy = cov * (uyy[i] - uy[i] * uy[i]), vxy = cov * (uxy[i] - ux[i] * uy[i]);
                sum += (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2) / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
                count++;
            }
        return sum / count;
    }

    [Theory]
    [InlineData(12, 15, 1)]
    [InlineData(7, 7, 2)]
    [InlineData(30, 9, 3)]
    public void SsimMatchesTheFilteredDefinition(int h, int w, int seed)
    {
        var a = RandomMap(h * w, seed);
        var noise = RandomMap(h * w, seed + 100);
        var b = a.Select((v, i) => 0.7f * v + 0.3f * noise[i]).ToArray();
        Assert.Equal(PlainSsim(a, b, h, w), Ssim.Of(a, b, h, w), 8);
        Assert.Equal(1.0, Ssim.Of(a, a, h, w), 10);
        Assert.True(Ssim.Of(a, noise, h, w) < 0.5);
    }

    [Fact]
    public void SsimRejectsMismatchedMaps() =>
        Assert.Throws<ArgumentException>(() => Ssim.Of(new float[12], new float[11], 3, 4));

    /// <summary>"Logits" of a linear model: class 0 = Σ_i w_i x_i over every channel value, class 1 = 0.</summary>
    private static ProbabilityModel LinearLogits(double[] w) =>
        inputs => inputs.Select(x => new[] { (float)x.Select((v, i) => v * w[i]).Sum(), 0f }).ToArray();

    [Fact]
    public void FaithfulnessCorrelationIsOneWhenTheMapIsEachPixelsExactContribution()
    {
        const int C = 2, Px = 50;
        var rng = new Random(4);
        var x = Enumerable.Range(0, C * Px).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var w = Enumerable.Range(0, C * Px).Select(_ => rng.NextDouble()).ToArray();
        float black = x.Min();
        // removing S lowers logit 0 by Σ_{q∈S} Σ_c w_cq (x_cq − black)
        var exact = Enumerable.Range(0, Px).Select(q => (float)Enumerable.Range(0, C).Sum(c => w[c * Px + q] * (x[c * Px + q] - black))).ToArray();
        Assert.Equal(1.0, FaithfulnessCorrelation.Score(LinearLogits(w), x, exact, 0, runs: 20, subset: 7, seed: 3), 5);
        Assert.Equal(-1.0, FaithfulnessCorrelation.Score(LinearLogits(w), x, exact.Select(v => -v).ToArray(), 0, 20, 7, 3), 5);
        Assert.True(double.IsNaN(FaithfulnessCorrelation.Score(LinearLogits(w), x, new float[Px], 0, 20, 7, 3)));

        // an arbitrary map against the same computation written out here
        var map = RandomMap(Px, 9);
        var subsets = FaithfulnessCorrelation.Subsets(Px, 20, 7, 3);
        var sums = subsets.Select(s => s.Sum(q => (double)map[q])).ToArray();
        var deltas = subsets.Select(s => s.Sum(q => Enumerable.Range(0, C).Sum(c => w[c * Px + q] * (x[c * Px + q] - black)))).ToArray();
        double ms = sums.Average(), md = deltas.Average();
        double r = sums.Zip(deltas, (a, b) => (a - ms) * (b - md)).Sum() /
                   Math.Sqrt(sums.Sum(a => (a - ms) * (a - ms)) * deltas.Sum(b => (b - md) * (b - md)));
        Assert.Equal(r, FaithfulnessCorrelation.Score(LinearLogits(w), x, map, 0, 20, 7, 3), 4);
    }

    [Fact]
    public void FaithfulnessSubsetsAreDistinctPixelsAndSeeded()
    {
        var s = FaithfulnessCorrelation.Subsets(30, 50, 12, 8);
        Assert.All(s, sub => { Assert.Equal(12, sub.Distinct().Count()); Assert.All(sub, q => Assert.InRange(q, 0, 29)); });
        Assert.Equal(s, FaithfulnessCorrelation.Subsets(30, 50, 12, 8));
        Assert.Throws<ArgumentException>(() => FaithfulnessCorrelation.Score(LinearLogits(new double[4]), new float[4], new float[2], 0, 5, 3, 1));
    }

    /// <summary>p_0 = sigmoid(Σ_i w_i x_i), p_1 = 1 − p_0.</summary>
    private static ProbabilityModel Sigmoid(double[] w) => inputs => inputs.Select(x =>
    {
        double z = x.Select((v, i) => v * w[i]).Sum(), p = 1 / (1 + Math.Exp(-z));
        return new[] { (float)p, (float)(1 - p) };
    }).ToArray();

    [Fact]
    public void MonotonicityInsertsPixelsInAscendingOrderFromAMinBaseline()
    {
        const int C = 3, Px = 10;
        var rng = new Random(6);
        var x = Enumerable.Range(0, C * Px).Select(_ => (float)rng.NextDouble()).ToArray();
        var w = Enumerable.Range(0, C * Px).Select(_ => 0.1 + rng.NextDouble()).ToArray();
        var map = RandomMap(Px, 2);
        // every pixel adds a non-negative term: any order is monotonic
        Assert.Equal(1.0, Monotonicity.Score(Sigmoid(w), x, map, 0, step: 3));
        // pixel 4 (inserted second: second-lowest attribution) pulls the logit down
        var order = Enumerable.Range(0, Px).OrderBy(q => map[q]).ToArray();
        for (int c = 0; c < C; c++) w[c * Px + order[1]] = -5;
        Assert.Equal(0.0, Monotonicity.Score(Sigmoid(w), x, map, 0, step: 1));

        // the curve written out: after step k the first min(Px, (k+1)·step) pixels in order hold x, the rest min(x)
        float black = x.Min();
        var curve = Monotonicity.Curve(Sigmoid(w), x, map, 0, step: 3);
        Assert.Equal(4, curve.Length);
        for (int k = 0; k < 4; k++)
        {
            var inserted = order.Take(Math.Min(Px, (k + 1) * 3)).ToHashSet();
            double z = 0;
            for (int c = 0; c < C; c++)
                for (int q = 0; q < Px; q++) z += w[c * Px + q] * (inserted.Contains(q) ? x[c * Px + q] : black);
            Assert.Equal(1 / (1 + Math.Exp(-z)), curve[k], 5);
        }
    }

    [Fact]
    public void ArccIsTheHarmonicMeanOfCoherencyOneMinusComplexityAndClippedRoad()
    {
        Assert.Equal(0.5, Arcc.Of(0.5, 0.5, 0.25), 6);              // 3 / (2 + 2 + 2)
        Assert.Equal(3 / (1 / 0.8 + 1 / 0.9 + 1.0), Arcc.Of(0.8, 0.1, 0.7), 6); // ROAD 1.4 clipped to 1
        Assert.True(Arcc.Of(0.8, 0.1, -0.1) < 1e-7);                // ROAD clipped to 0: the harmonic mean collapses
        double geometric = Math.Cbrt(0.9 * 0.6 * 0.3);
        Assert.NotEqual(geometric, Arcc.Of(0.9, 0.4, 0.15), 3);     // not the docstring's geometric mean
    }
}
