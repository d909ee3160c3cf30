using NativeCam.Cam.Attribution;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Attribution;

/// <summary>RISE and occlusion against plain loops of single forward passes written here.</summary>
public class PerturbationMethodTests
{
    private static readonly Model Cnn = TinyModels.SmallCnn64();

    private static double[] Logits(double[] x) =>
        Cnn.ForBatch(1).Run(Tensor.FromDoubles(x, [1, 3, 16, 16], DType.Float64)).ToArray();

    private static double Softmax(double[] o, int c)
    {
        double max = o.Max();
        return Math.Exp(o[c] - max) / o.Sum(v => Math.Exp(v - max));
    }

    private static double Rest(double[] o, int c)
    {
        double max = o.Max();
        return 2 * o[c] - (max + Math.Log(o.Sum(v => Math.Exp(v - max))));
    }

    [Fact]
    public void RiseIsTheProbabilityWeightedMeanOfItsMasks()
    {
        var x = Tensor.Uniform([2, 3, 16, 16], 31, -2, 2, DType.Float64);
        var p = new AttributionParameters { Masks = 7, MaskCells = 3, KeepProbability = 0.4 };
        var ctx = InputGradientMethodTests.Context(Cnn, x, Utility.Rest, p, batch: 3);
        var map = new Rise().Attribute(ctx);
        var xs = x.ToArray();
        for (int n = 0; n < 2; n++)
        {
            var image = xs[(n * 768)..((n + 1) * 768)];
            int seed = AttributionSeeds.For(7, image, "rise");
            var expected = new double[256];
            for (int i = 0; i < 7; i++)
            {
                var m = Rise.Mask(16, 16, 3, 0.4, seed, i);
                var masked = image.Select((v, j) => v * m[j % 256]).ToArray();
                double score = Softmax(Logits(masked), ctx.Result.Classes[n]);
                for (int q = 0; q < 256; q++) expected[q] += score * m[q] / (7 * 0.4);
            }
            for (int q = 0; q < 256; q++) Assert.Equal(expected[q], map[n * 256 + q], 1e-9);
        }
    }

    [Fact]
    public void RiseMasksAreUpsampledShiftedBinaryGrids()
    {
        // p = 1 keeps every cell: the mask is all ones
        Assert.All(Rise.Mask(20, 13, 4, 1.0, 3, 0), v => Assert.Equal(1.0, v));
        // values in [0, 1], and over many masks the mean is about p
        double sum = 0;
        int count = 400;
        for (int i = 0; i < count; i++)
        {
            var m = Rise.Mask(24, 24, 5, 0.3, 11, i);
            Assert.All(m, v => Assert.InRange(v, 0.0, 1.0));
            sum += m.Average();
        }
        Assert.InRange(sum / count, 0.27, 0.33);
        // a mask is a function of (seed, index)
        Assert.Equal(Rise.Mask(24, 24, 5, 0.3, 11, 9), Rise.Mask(24, 24, 5, 0.3, 11, 9));
        Assert.NotEqual(Rise.Mask(24, 24, 5, 0.3, 11, 9), Rise.Mask(24, 24, 5, 0.3, 11, 10));
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(5, 3)]
    [InlineData(16, 1)]
    public void OcclusionIsTheMeanScoreDropOfTheWindowsCoveringEachPixel(int window, int stride)
    {
        var x = Tensor.Uniform([1, 3, 16, 16], 32, -2, 2, DType.Float64);
        var ctx = InputGradientMethodTests.Context(Cnn, x, Utility.Rest, new AttributionParameters { Window = window, Stride = stride }, batch: 5);
        var map = new Occlusion().Attribute(ctx);
        var xs = x.ToArray();
        int c = ctx.Result.Classes[0];
        double u = Rest(Logits(xs), c);
        var sum = new double[256];
        var hits = new int[256];
        for (int y0 = 0; y0 + window <= 16; y0 += stride)
            for (int x0 = 0; x0 + window <= 16; x0 += stride)
            {
                var occluded = (double[])xs.Clone();
                for (int ch = 0; ch < 3; ch++)
                    for (int y = y0; y < y0 + window; y++)
                        for (int xx = x0; xx < x0 + window; xx++) occluded[ch * 256 + y * 16 + xx] = 0;
                double d = u - Rest(Logits(occluded), c);
                for (int y = y0; y < y0 + window; y++)
                    for (int xx = x0; xx < x0 + window; xx++) { sum[y * 16 + xx] += d; hits[y * 16 + xx]++; }
            }
        for (int q = 0; q < 256; q++) Assert.Equal(hits[q] > 0 ? sum[q] / hits[q] : 0, map[q], 1e-9);
    }
}
