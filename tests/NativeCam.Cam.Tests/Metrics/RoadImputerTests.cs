using System.Diagnostics;
using NativeCam.Cam.Metrics;
using Xunit.Abstractions;

namespace NativeCam.Cam.Tests.Metrics;

public class RoadImputerTests(ITestOutputHelper output)
{
    private static float[] RandomImage(int channels, int h, int w, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, channels * h * w).Select(_ => (float)(4 * rng.NextDouble() - 2)).ToArray();
    }

    private static bool[] RandomRemoval(int h, int w, double fraction, int seed)
    {
        var rng = new Random(seed);
        var removed = Enumerable.Range(0, h * w).Select(_ => rng.NextDouble() < fraction).ToArray();
        removed[rng.Next(h * w)] = false; // at least one kept
        return removed;
    }

    // a removed disc around (cy, cx) plus the whole first row: interior and border unknowns, one large component
    private static bool[] BlobRemoval(int h, int w, double cy, double cx, double radius)
    {
        var removed = new bool[h * w];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                removed[y * w + x] = y == 0 || (y - cy) * (y - cy) + (x - cx) * (x - cx) <= radius * radius;
        return removed;
    }

    [Theory]
    [InlineData(1, 4, 4, 0.5, 1)]
    [InlineData(3, 5, 7, 0.6, 2)]
    [InlineData(3, 9, 6, 0.9, 3)]
    [InlineData(2, 1, 8, 0.5, 4)]
    public void MatchesTheDenseReferenceOnSmallGrids(int channels, int h, int w, double fraction, int seed)
    {
        var x = RandomImage(channels, h, w, seed);
        var removed = RandomRemoval(h, w, fraction, seed + 100);
        var imputed = NoisyLinearImputer.Impute(x, removed, h, w, noiseStd: 0, seed: 0, out var solve);
        var expected = RoadDenseReference.Impute(x, removed, h, w);
        Assert.True(solve.Converged);
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(expected[i], imputed[i], 1e-5);
    }

    [Fact]
    public void LargeComponentThroughSeveralMultigridLevelsMatchesTheDenseReference()
    {
        // ~450 unknowns: more than the coarsest (direct) multigrid level takes
        const int h = 28, w = 26;
        var x = RandomImage(3, h, w, 9);
        var removed = BlobRemoval(h, w, 14, 12, 11);
        Assert.InRange(removed.Count(r => r), 300, 700);
        var imputed = NoisyLinearImputer.Impute(x, removed, h, w, 0, 0, out var solve);
        var expected = RoadDenseReference.Impute(x, removed, h, w);
        Assert.True(solve.Converged, $"residual {solve.RelativeResidual}");
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(expected[i], imputed[i], 1e-4);
    }

    [Fact]
    public void MultigridPreconditionerIsSymmetric()
    {
        // CG needs a symmetric preconditioner: uᵀ·M⁻¹v = vᵀ·M⁻¹u
        const int h = 40, w = 36, k = 2;
        var removed = BlobRemoval(h, w, 20, 18, 16);
        var system = new ImputationSystem(new double[k * h * w], removed, h, w, k, [(0, -1, 1.0 / 6), (0, 1, 1.0 / 6),
            (-1, 0, 1.0 / 6), (1, 0, 1.0 / 6), (-1, -1, 1.0 / 12), (-1, 1, 1.0 / 12), (1, -1, 1.0 / 12), (1, 1, 1.0 / 12)]);
        var multigrid = new AggregationMultigrid(system.Matrix);
        Assert.True(multigrid.Depth >= 3);
        int n = system.Matrix.Count * k;
        var rng = new Random(4);
        var u = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var mu = new double[n];
        var mv = new double[n];
        multigrid.Precondition(u, mu);
        multigrid.Precondition(v, mv);
        double uMv = u.Zip(mv, (a, b) => a * b).Sum(), vMu = v.Zip(mu, (a, b) => a * b).Sum();
        Assert.Equal(uMv, vMu, 1e-9 * Math.Max(1, Math.Abs(uMv)));
        Assert.True(u.Zip(mu, (a, b) => a * b).Sum() > 0);
    }

    [Fact]
    public void KeptPixelsAreUntouchedAndRemovedOnesAreNeighbourMeans()
    {
        const int h = 12, w = 10;
        var x = RandomImage(3, h, w, 21);
        var removed = RandomRemoval(h, w, 0.7, 22);
        var imputed = NoisyLinearImputer.Impute(x, removed, h, w, 0.05, 3);
        var plain = NoisyLinearImputer.Impute(x, removed, h, w, 0, 3);
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < h * w; p++)
                if (!removed[p])
                {
                    Assert.Equal(x[c * h * w + p], imputed[c * h * w + p]); // bit for bit
                    Assert.Equal(x[c * h * w + p], plain[c * h * w + p]);
                }
        Assert.True(RoadDenseReference.MaxMeanViolation(plain, removed, h, w) < 1e-5);
        Assert.True(RoadDenseReference.MaxMeanViolation(imputed, removed, h, w) > 1e-3); // the noise is there
    }

    [Fact]
    public void BorderPixelsAverageOnlyTheNeighboursInsideTheImage()
    {
        // 3×3, one channel: only the top-left corner and the middle of the right edge are removed, so each is the
        // renormalised mean of known neighbours: corner (1/6·b + 1/6·d + 1/12·e)/(5/12), edge over 5 neighbours
        float[] x = [9, 2, 3, 4, 5, 6, 7, 8, 100];
        bool[] removed = [true, false, false, false, false, true, false, false, false];
        var imputed = NoisyLinearImputer.Impute(x, removed, 3, 3, 0, 0);
        double corner = (2 / 6.0 + 4 / 6.0 + 5 / 12.0) / (5 / 12.0);
        double edge = (3 / 6.0 + 5 / 6.0 + 100 / 6.0 + 2 / 12.0 + 8 / 12.0) / (3 / 6.0 + 2 / 12.0);
        Assert.Equal(corner, imputed[0], 5);
        Assert.Equal(edge, imputed[5], 5);
    }

    [Fact]
    public void ConstantImagesStayExactlyConstantWithoutNoise()
    {
        const int h = 40, w = 40;
        var x = Enumerable.Repeat(0.75f, 2 * h * w).ToArray();
        var removed = BlobRemoval(h, w, 20, 20, 15);
        var imputed = NoisyLinearImputer.Impute(x, removed, h, w, 0, 0);
        Assert.All(imputed, v => Assert.Equal(0.75f, v, 1e-6f));
    }

    [Fact]
    public void NoiseHasTheRequestedStatisticsAndFollowsTheSeed()
    {
        const int h = 64, w = 64;
        const double sigma = 0.2;
        var x = Enumerable.Repeat(1f, h * w).ToArray();
        var removed = new bool[h * w];
        for (int p = 0; p < h * w; p++)
            removed[p] = p % 5 != 0; // 80% removed, all with exact value 1 before the noise
        var a = NoisyLinearImputer.Impute(x, removed, h, w, sigma, 42);
        var b = NoisyLinearImputer.Impute(x, removed, h, w, sigma, 42);
        var c = NoisyLinearImputer.Impute(x, removed, h, w, sigma, 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var noise = Enumerable.Range(0, h * w).Where(p => removed[p]).Select(p => a[p] - 1.0).ToArray();
        double mean = noise.Average();
        double std = Math.Sqrt(noise.Sum(v => (v - mean) * (v - mean)) / (noise.Length - 1));
        // n ≈ 3277: the standard error of the mean is σ/√n ≈ 0.0035, of the deviation ≈ σ/√(2n) ≈ 0.0025
        Assert.InRange(mean, -4 * sigma / Math.Sqrt(noise.Length), 4 * sigma / Math.Sqrt(noise.Length));
        Assert.InRange(std, sigma * 0.94, sigma * 1.06);
    }

    [Fact]
    public void NothingRemovedCopiesAndEverythingRemovedIsRejected()
    {
        var x = RandomImage(3, 4, 4, 1);
        Assert.Equal(x, NoisyLinearImputer.Impute(x, new bool[16], 4, 4));
        var all = Enumerable.Repeat(true, 16).ToArray();
        var e = Assert.Throws<ArgumentException>(() => NoisyLinearImputer.Impute(x, all, 4, 4));
        Assert.Contains("every pixel", e.Message);
        Assert.Throws<ArgumentException>(() => NoisyLinearImputer.Impute(x, new bool[15], 4, 4));
        Assert.Throws<ArgumentException>(() => NoisyLinearImputer.Impute(new float[17], new bool[16], 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoisyLinearImputer.Impute(x, new bool[16], 4, 4, -1));
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.8)]
    public void ImputesA224ImageQuickly(double fraction)
    {
        // a smooth map removed from its top (20%) or all but its top (80%): the shapes ROAD produces
        const int h = 224, w = 224;
        var x = RandomImage(3, h, w, 5);
        var map = new float[h * w];
        for (int y = 0; y < h; y++)
            for (int xx = 0; xx < w; xx++)
                map[y * w + xx] = (float)(Math.Exp(-((y - 90.0) * (y - 90) + (xx - 130.0) * (xx - 130)) / 3000) +
                                          0.5 * Math.Exp(-((y - 170.0) * (y - 170) + (xx - 50.0) * (xx - 50)) / 1500));
        var order = PixelCurves.Order(map);
        var removed = new bool[h * w];
        for (int i = 0; i < (int)(fraction * h * w); i++)
            removed[order[i]] = true;
        NoisyLinearImputer.Impute(x, removed, h, w, 0.01, 0); // warm-up (JIT)
        // the best of five runs: the figure closest to an unloaded machine
        double bestWall = double.MaxValue, bestCpu = double.MaxValue;
        float[] imputed = [];
        ConjugateGradientResult solve = new(0, 0, false);
        var process = Process.GetCurrentProcess();
        for (int run = 0; run < 5; run++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            imputed = NoisyLinearImputer.Impute(x, removed, h, w, 0, 0, out solve);
            watch.Stop();
            process.Refresh();
            bestWall = Math.Min(bestWall, watch.Elapsed.TotalMilliseconds);
            bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalMilliseconds);
        }
        output.WriteLine($"224×224×3, {fraction:P0} removed: best of 5 {bestWall:F1} ms wall, {bestCpu:F1} ms process CPU, " +
                         $"{solve.Iterations} CG iterations, residual {solve.RelativeResidual:G3}");
        Assert.InRange(solve.Iterations, 1, 30); // the multigrid preconditioner keeps CG short
        Assert.True(solve.Converged);
        Assert.True(RoadDenseReference.MaxMeanViolation(imputed, removed, h, w) < 1e-4);
    }
}
