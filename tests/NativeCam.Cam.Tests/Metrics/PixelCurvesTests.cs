using NativeCam.Cam.Metrics;
using NativeCam.Engine;

namespace NativeCam.Cam.Tests.Metrics;

public class PixelCurvesTests
{
    // a "probability" equal to the mean of the input: one class, exact curve values
    private static readonly ProbabilityModel MeanModel = inputs => inputs.Select(x => new[] { x.Average() }).ToArray();

    [Fact]
    public void OrderIsByDecreasingValueTiesByIndex()
    {
        Assert.Equal([1, 3, 2, 0], PixelCurves.Order([0.1f, 0.9f, 0.5f, 0.9f]));
    }

    [Fact]
    public void UniformImageGivesLinearCurvesWithAreaOneHalf()
    {
        var sample = new MetricSample([1, 1, 1, 1], [0.1f, 0.9f, 0.5f, 0.9f], 0);
        var del = PixelCurves.Deletion(MeanModel, [sample], 4)[0];
        var ins = PixelCurves.Insertion(MeanModel, [sample], 4)[0];
        Assert.Equal(new[] { 1, 0.75, 0.5, 0.25, 0 }, del.Probabilities.Select(v => Math.Round(v, 6)));
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, ins.Probabilities.Select(v => Math.Round(v, 6)));
        Assert.Equal(0.5, del.Auc, 6);
        Assert.Equal(0.5, ins.Auc, 6);
    }

    [Fact]
    public void TwoByTwoImageFollowsTheMapOrder()
    {
        // pixels removed in order 1, 3, 2, 0; the mean drops by x[p]/4 each step
        float[] x = [4, 8, 2, 6];
        var sample = new MetricSample(x, [0.1f, 0.9f, 0.5f, 0.9f], 0);
        var del = PixelCurves.Deletion(MeanModel, [sample], 4)[0];
        var ins = PixelCurves.Insertion(MeanModel, [sample], 4)[0];
        double[] delExpected = [5, 3, 1.5, 1, 0];
        double[] insExpected = [0, 2, 3.5, 4, 5];
        Assert.Equal(delExpected, del.Probabilities.Select(v => Math.Round(v, 6)));
        Assert.Equal(insExpected, ins.Probabilities.Select(v => Math.Round(v, 6)));
        // trapezoid with spacing 1/4
        Assert.Equal((5 / 2.0 + 3 + 1.5 + 1 + 0 / 2.0) / 4, del.Auc, 6);
        Assert.Equal((0 / 2.0 + 2 + 3.5 + 4 + 5 / 2.0) / 4, ins.Auc, 6);
    }

    [Fact]
    public void FewerStepsRemoveEqualShares()
    {
        // 2 steps over 4 pixels: 0, 2 and 4 pixels removed, all channels at once
        float[] x = [4, 8, 2, 6, 1, 1, 1, 1];
        var sample = new MetricSample(x, [0.1f, 0.9f, 0.5f, 0.9f], 0);
        var del = PixelCurves.Deletion(MeanModel, [sample], 2)[0];
        Assert.Equal(new[] { 24 / 8.0, 8 / 8.0, 0 }, del.Probabilities.Select(v => Math.Round(v, 6)));
        Assert.Equal((24 / 8.0 / 2 + 1 + 0) / 2, del.Auc, 6);
    }

    [Fact]
    public void SigmoidModelCurvesMatchAnIndependentLoop()
    {
        float[] w = [0.5f, -1, 2, 0.25f, 1, 1, -0.5f, 0.75f];
        var model = new SigmoidModel(w);
        float[] x = [1, 2, -1, 0.5f, 3, -2, 1, 1];
        float[] m = [0.2f, 0.7f, 0.7f, 0.1f];
        int[] order = [1, 2, 0, 3];
        var curves = PixelCurves.Deletion(model.Model, [new MetricSample(x, m, 1), new MetricSample(x, m, 0)], 4);
        Assert.Equal(1, model.Calls);
        for (int k = 0; k <= 4; k++)
        {
            var removed = order.Take(k).ToHashSet();
            double z = Enumerable.Range(0, 8).Where(i => !removed.Contains(i % 4)).Sum(i => (double)w[i] * x[i]);
            Assert.Equal(SigmoidModel.Sigmoid(z), curves[0].Probabilities[k], 6);
            Assert.Equal(1 - SigmoidModel.Sigmoid(z), curves[1].Probabilities[k], 6);
        }
    }

    [Fact]
    public void TensorAdapterBatchesInChunks()
    {
        int calls = 0;
        var model = ProbabilityModels.FromTensor(t =>
        {
            calls++;
            Assert.True(t.Shape[0] <= 2);
            var v = t.ToFloatArray();
            int n = t.Shape[0], size = 4;
            var p = new float[n * 2];
            for (int i = 0; i < n; i++)
            {
                float s = v.AsSpan(i * size, size).ToArray().Sum();
                p[2 * i] = s;
                p[2 * i + 1] = -s;
            }
            return Tensor.FromArray(p, [n, 2]);
        }, channels: 1, height: 2, width: 2, maxBatch: 2);
        var inputs = Enumerable.Range(0, 5).Select(i => new float[] { i, 1, 2, 3 }).ToArray();
        var probs = model(inputs);
        Assert.Equal(3, calls);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i + 6, probs[i][0]);
            Assert.Equal(-(i + 6), probs[i][1]);
        }
    }
}
