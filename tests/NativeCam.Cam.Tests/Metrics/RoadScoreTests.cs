using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

public class RoadScoreTests
{
    // one class whose "probability" is the mean of the input
    private static ProbabilityModel MeanModel(List<int> batchSizes) => inputs =>
    {
        batchSizes.Add(inputs.Length);
        return inputs.Select(x => new[] { (float)x.Select(v => (double)v).Average() }).ToArray();
    };

    /// <summary>
    /// Closed form for images and maps that depend on the column only: the imputation is then the same in every
    /// row and solves the 1-D problem u_c = (u_{c−1} + u_{c+1})/2 — straight lines between kept columns — with
    /// u constant beyond the outermost kept columns (the renormalised border rows and columns give exactly these
    /// equations). Returns the mean of the imputed image.
    /// </summary>
    private static double ColumnImputedMean(double[][] columnValues, bool[] removedColumns)
    {
        int w = removedColumns.Length;
        var kept = Enumerable.Range(0, w).Where(c => !removedColumns[c]).ToArray();
        double total = 0;
        foreach (var f in columnValues)
            for (int c = 0; c < w; c++)
            {
                int left = kept.LastOrDefault(k => k <= c, -1), right = kept.FirstOrDefault(k => k >= c, -1);
                total += left < 0 ? f[right]
                    : right < 0 ? f[left]
                    : left == right ? f[c]
                    : f[left] + (f[right] - f[left]) * (c - left) / (right - left);
            }
        return total / (w * columnValues.Length);
    }

    [Fact]
    public void ColumnImagesGiveClosedFormMorfLerfAndCombined()
    {
        const int h = 3, w = 5;
        double[][] f = [[1, 4, 2, 8, 3], [-2, 0.5, 6, 1, 1]];
        float[] g = [0.1f, 0.9f, 0.5f, 0.3f, 0.7f]; // MoRF removes columns 1, 4, 2, 3; LeRF 0, 3, 2, 4
        var x = new float[2 * h * w];
        var mask = new float[h * w];
        for (int ch = 0; ch < 2; ch++)
            for (int y = 0; y < h; y++)
                for (int c = 0; c < w; c++)
                {
                    x[ch * h * w + y * w + c] = (float)f[ch][c];
                    mask[y * w + c] = g[c];
                }
        var calls = new List<int>();
        var scores = Road.Score(MeanModel(calls), [new MetricSample(x, mask, 0)], new RoadOptions(NoiseStd: 0) { MapWidth = w })[0];

        Assert.Equal([8], calls);
        Assert.Equal([20.0, 40, 60, 80], scores.Percentiles);
        int[] morfColumns = [1, 4, 2, 3], lerfColumns = [0, 3, 2, 4];
        double combined = 0;
        for (int j = 0; j < 4; j++)
        {
            var morfRemoved = new bool[w];
            var lerfRemoved = new bool[w];
            foreach (var c in morfColumns.Take(j + 1))
                morfRemoved[c] = true;
            foreach (var c in lerfColumns.Take(j + 1))
                lerfRemoved[c] = true;
            double morf = ColumnImputedMean(f, morfRemoved), lerf = ColumnImputedMean(f, lerfRemoved);
            Assert.Equal(morf, scores.MoRF[j], 5);
            Assert.Equal(lerf, scores.LeRF[j], 5);
            combined += (lerf - morf) / 2 / 4;
        }
        Assert.Equal(combined, scores.Combined, 5);
    }

    [Fact]
    public void AllSamplesGoToTheModelInOneCallAndMatchTheDenseReference()
    {
        const int h = 6, w = 6;
        var rng = new Random(8);
        var weights = Enumerable.Range(0, 3 * h * w).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var model = new SigmoidModel(weights);
        var samples = new List<MetricSample>();
        for (int s = 0; s < 3; s++)
        {
            var x = Enumerable.Range(0, 3 * h * w).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
            // a map with many ties (values in eight steps), so the tie order matters
            var m = Enumerable.Range(0, h * w).Select(_ => rng.Next(8) / 7f).ToArray();
            samples.Add(new MetricSample(x, m, s % 2));
        }
        double[] percentiles = [10, 50, 75];
        var scores = Road.Score(model.Model, samples, new RoadOptions(percentiles, NoiseStd: 0));
        Assert.Equal(1, model.Calls);
        Assert.Equal(3 * 2 * 3, model.Inputs);
        for (int s = 0; s < 3; s++)
        {
            var m = samples[s].Mask;
            // ties by increasing pixel index in both directions
            var desc = Enumerable.Range(0, h * w).OrderByDescending(p => m[p]).ThenBy(p => p).ToArray();
            var asc = Enumerable.Range(0, h * w).OrderBy(p => m[p]).ThenBy(p => p).ToArray();
            for (int j = 0; j < 3; j++)
            {
                int k = (int)Math.Floor(percentiles[j] * h * w / 100);
                foreach (var (order, actual) in new[] { (desc, scores[s].MoRF[j]), (asc, scores[s].LeRF[j]) })
                {
                    var removed = new bool[h * w];
                    foreach (var p in order.Take(k))
                        removed[p] = true;
                    var imputed = RoadDenseReference.Impute(samples[s].Input, removed, h, w);
                    double p1 = model.P1(imputed.Select(v => (float)v).ToArray());
                    Assert.Equal(s % 2 == 1 ? p1 : 1 - p1, actual, 5);
                }
            }
            Assert.Equal(Enumerable.Range(0, 3).Average(j => (scores[s].LeRF[j] - scores[s].MoRF[j]) / 2), scores[s].Combined, 12);
        }
    }

    [Fact]
    public void NoiseIsSeededAndDeterministic()
    {
        const int h = 8, w = 8;
        var rng = new Random(2);
        var x = Enumerable.Range(0, 3 * h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        var m = Enumerable.Range(0, h * w).Select(_ => (float)rng.NextDouble()).ToArray();
        var sample = new MetricSample(x, m, 0);
        var calls = new List<int>();
        var a = Road.Score(MeanModel(calls), [sample, sample], new RoadOptions(Seed: 5));
        var b = Road.Score(MeanModel(calls), [sample, sample], new RoadOptions(Seed: 5));
        var c = Road.Score(MeanModel(calls), [sample, sample], new RoadOptions(Seed: 6));
        var clean = Road.Score(MeanModel(calls), [sample], new RoadOptions(NoiseStd: 0))[0];
        Assert.Equal(a[0].MoRF, b[0].MoRF);
        Assert.Equal(a[1].LeRF, b[1].LeRF);
        Assert.NotEqual(a[0].MoRF, c[0].MoRF);
        Assert.NotEqual(a[0].MoRF, a[1].MoRF); // each imputation draws its own noise
        for (int j = 0; j < 4; j++)
            Assert.Equal(clean.MoRF[j], a[0].MoRF[j], 2); // 0.01 noise moves a mean of ~100 values by ~0.001
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(100.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    public void PercentilesOutsideTheOpenIntervalAreRejected(double bad)
    {
        var sample = new MetricSample(new float[16], new float[16], 0);
        var e = Assert.Throws<ArgumentException>(() => Road.Score(MeanModel([]), [sample], new RoadOptions([20, bad])));
        Assert.Contains("percentile 1", e.Message);
    }

    [Fact]
    public void BadOptionsAndSamplesAreRejectedClearly()
    {
        var ok = new MetricSample(new float[3 * 16], new float[16], 0);
        Assert.Throws<ArgumentException>(() => Road.Score(MeanModel([]), [ok], new RoadOptions(Array.Empty<double>())));
        Assert.Throws<ArgumentException>(() => Road.Score(MeanModel([]), [ok], new RoadOptions(NoiseStd: -0.1)));
        var mismatch = Assert.Throws<ArgumentException>(() =>
            Road.Score(MeanModel([]), [ok, new MetricSample(new float[47], new float[16], 0)]));
        Assert.Contains("sample 1", mismatch.Message);
        var notSquare = Assert.Throws<ArgumentException>(() =>
            Road.Score(MeanModel([]), [new MetricSample(new float[12], new float[12], 0)]));
        Assert.Contains("MapWidth", notSquare.Message);
        Assert.Throws<ArgumentException>(() =>
            Road.Score(MeanModel([]), [new MetricSample(new float[12], new float[12], 0)], new RoadOptions { MapWidth = 5 }));
        var nan = new float[16];
        nan[3] = float.NaN;
        Assert.Throws<ArgumentException>(() => Road.Score(MeanModel([]), [new MetricSample(new float[16], nan, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Road.Score(MeanModel([]), [new MetricSample(new float[16], new float[16], 1)]));
    }

    [Fact]
    public void NonSquareMapsWorkWithTheirWidth()
    {
        // 2 rows × 3 columns; 50% removes the three highest pixels
        float[] x = [1, 2, 3, 4, 5, 6];
        float[] m = [0, 0, 0, 1, 1, 1];
        var calls = new List<int>();
        var scores = Road.Score(MeanModel(calls), [new MetricSample(x, m, 0)], new RoadOptions([50], NoiseStd: 0) { MapWidth = 3 })[0];
        var morfRemoved = new[] { false, false, false, true, true, true };
        double expected = RoadDenseReference.Impute(x, morfRemoved, 2, 3).Average();
        Assert.Equal(expected, scores.MoRF[0], 5);
        Assert.Equal(RoadDenseReference.Impute(x, morfRemoved.Select(r => !r).ToArray(), 2, 3).Average(), scores.LeRF[0], 5);
    }
}
