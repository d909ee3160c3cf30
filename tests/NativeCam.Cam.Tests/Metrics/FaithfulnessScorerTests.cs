using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

public class FaithfulnessScorerTests
{
    // 2 channels, 2×2 pixels: x and w in CHW order
    private static readonly float[] X = [1, -2, 0.5f, 3, -1, 2, 1.5f, -0.5f];
    private static readonly float[] W = [0.3f, -0.2f, 0.7f, 0.1f, 0.4f, 0.25f, -0.6f, 0.2f];

    private static double Z(Func<int, double> maskAtPixel)
    {
        double z = 0;
        for (int ch = 0; ch < 2; ch++)
            for (int p = 0; p < 4; p++)
                z += (double)W[ch * 4 + p] * X[ch * 4 + p] * maskAtPixel(p);
        return z;
    }

    [Fact]
    public void AllOnesKeepsEverythingAndDeletesToTheMeanColour()
    {
        var model = new SigmoidModel(W);
        var r = FaithfulnessScorer.Score(model.Model, [new MetricSample(X, [1, 1, 1, 1], 1)])[0];
        double y = SigmoidModel.Sigmoid(Z(_ => 1));
        Assert.Equal(y, r.Y, 6);
        Assert.Equal(y, r.O, 6);
        Assert.Equal(0.5, r.D, 6);
        Assert.Equal(0, r.Drop, 6);
        Assert.Equal(0, r.Increase);
        Assert.Equal(Math.Max(0, y - 0.5) / y, r.DeletionDrop, 6);
        Assert.Equal(1, r.Complexity, 12);
    }

    [Fact]
    public void AllZerosGivesTheMeanColourForTheKeptImage()
    {
        var model = new SigmoidModel(W);
        var r = FaithfulnessScorer.Score(model.Model, [new MetricSample(X, [0, 0, 0, 0], 0)])[0];
        double y = 1 - SigmoidModel.Sigmoid(Z(_ => 1));
        Assert.Equal(y, r.Y, 6);
        Assert.Equal(0.5, r.O, 6);
        Assert.Equal(y, r.D, 6);
        Assert.Equal(Math.Max(0, y - 0.5) / y, r.Drop, 6);
        Assert.Equal(0.5 > y ? 1 : 0, r.Increase);
        Assert.Equal(0, r.DeletionDrop, 6);
        Assert.Equal(0, r.Complexity, 12);
    }

    [Fact]
    public void HalfMaskKeepsTheLeftColumnInEveryChannel()
    {
        var model = new SigmoidModel(W);
        float[] mask = [1, 0, 1, 0];
        var r = FaithfulnessScorer.Score(model.Model, [new MetricSample(X, mask, 1)])[0];
        double y = SigmoidModel.Sigmoid(Z(_ => 1));
        double o = SigmoidModel.Sigmoid(Z(p => p % 2 == 0 ? 1 : 0));
        double d = SigmoidModel.Sigmoid(Z(p => p % 2 == 1 ? 1 : 0));
        Assert.Equal(y, r.Y, 6);
        Assert.Equal(o, r.O, 6);
        Assert.Equal(d, r.D, 6);
        Assert.Equal(Math.Max(0, y - o) / y, r.Drop, 6);
        Assert.Equal(o > y ? 1 : 0, r.Increase);
        Assert.Equal(Math.Max(0, y - d) / y, r.DeletionDrop, 6);
        Assert.Equal(0.5, r.Complexity, 12);
    }

    [Fact]
    public void FractionalMasksOfManyImagesInOneCall()
    {
        var rng = new Random(5);
        var model = new SigmoidModel(W);
        var samples = Enumerable.Range(0, 6).Select(i =>
        {
            var x = Enumerable.Range(0, 8).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
            var m = Enumerable.Range(0, 4).Select(_ => (float)rng.NextDouble()).ToArray();
            return new MetricSample(x, m, i % 2);
        }).ToArray();
        var records = FaithfulnessScorer.Score(model.Model, samples);
        Assert.Equal(1, model.Calls);
        Assert.Equal(18, model.Inputs);
        for (int i = 0; i < samples.Length; i++)
        {
            var (x, m, c) = (samples[i].Input, samples[i].Mask, samples[i].ClassIndex);
            double P(Func<int, double> f)
            {
                double z = 0;
                for (int j = 0; j < 8; j++)
                    z += (double)W[j] * x[j] * f(j % 4);
                double p1 = SigmoidModel.Sigmoid(z);
                return c == 1 ? p1 : 1 - p1;
            }
            Assert.Equal(P(_ => 1), records[i].Y, 5);
            Assert.Equal(P(p => m[p]), records[i].O, 5);
            Assert.Equal(P(p => 1 - m[p]), records[i].D, 5);
            Assert.Equal(m.Sum(v => (double)v) / 4, records[i].Complexity, 6);
            Assert.Null(records[i].Coherency);
        }
    }

    [Fact]
    public void CoherencyFromTheCallersSecondMap()
    {
        var model = new SigmoidModel(W);
        float[] m = [0.1f, 0.9f, 0.4f, 0.6f];
        float[] same = [0.2f, 1.8f, 0.8f, 1.2f];
        float[] opposite = m.Select(v => 1 - v).ToArray();
        float[] constant = [0.3f, 0.3f, 0.3f, 0.3f];
        var r = FaithfulnessScorer.Score(model.Model,
            [new MetricSample(X, m, 1, same), new MetricSample(X, m, 1, opposite), new MetricSample(X, m, 1, constant)]);
        Assert.Equal(1, r[0].Coherency!.Value, 6);
        Assert.Equal(0, r[1].Coherency!.Value, 6);
        Assert.Equal(0.5, r[2].Coherency!.Value, 12);
    }

    [Fact]
    public void CoherencyFromACallbackOnTheMaskedInputs()
    {
        // the "method" maps an input to its first channel: m′ = x ⊙ m in channel 0, i.e. x[p]·m[p]
        var model = new SigmoidModel(W);
        float[] m = [0.1f, 0.9f, 0.4f, 0.6f];
        int batches = 0;
        var r = FaithfulnessScorer.Score(model.Model, [new MetricSample(X, m, 1), new MetricSample(X, m, 0)], (inputs, classes) =>
        {
            batches++;
            Assert.Equal([1, 0], classes);
            return inputs.Select(x => x.Take(4).ToArray()).ToArray();
        });
        Assert.Equal(1, batches);
        float[] expectedMap = [.. Enumerable.Range(0, 4).Select(p => X[p] * m[p])];
        double ma = m.Average(v => (double)v), mb = expectedMap.Average(v => (double)v);
        double sab = m.Zip(expectedMap, (a, b) => (a - ma) * (b - mb)).Sum();
        double corr = sab / Math.Sqrt(m.Sum(a => (a - ma) * (a - ma)) * expectedMap.Sum(b => (b - mb) * (b - mb)));
        Assert.Equal((corr + 1) / 2, r[0].Coherency!.Value, 6);
        Assert.Equal((corr + 1) / 2, r[1].Coherency!.Value, 6);
    }

    [Fact]
    public void MaskIsBroadcastOverChannels()
    {
        float[] x = [1, 2, 3, 4, 5, 6];
        float[] m = [0.5f, 0, 1];
        Assert.Equal(new float[] { 0.5f, 0, 3, 2, 0, 6 }.Select(v => (double)v), MaskedInputs.Keep(x, m).Select(v => (double)v));
        Assert.Equal(new float[] { 0.5f, 2, 0, 2, 5, 0 }.Select(v => (double)v), MaskedInputs.Remove(x, m).Select(v => (double)v));
    }
}
