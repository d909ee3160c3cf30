using NativeCam.Cam.PostProcessing;
using NativeCam.Cam.Tests.Methods;
using NativeCam.Engine;

namespace NativeCam.Cam.Tests.PostProcessing;

public class CamPostProcessorTests
{
    [Fact]
    public void TwoByTwoToFourByFourGivesOpenCvValues()
    {
        // OpenCV INTER_LINEAR, scale 1/2: output index d reads src (d + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, 1.25,
        // clamped to [0, 1]: weights on (v0, v1) are (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1)
        double[] plane = [0, 1, 2, 3];
        double[] wt = [0, 0.25, 0.75, 1];
        var up = CamPostProcessor.Resize(plane, 2, 2, 4, 4);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double top = plane[0] * (1 - wt[j]) + plane[1] * wt[j], bottom = plane[2] * (1 - wt[j]) + plane[3] * wt[j];
                Assert.Equal(top * (1 - wt[i]) + bottom * wt[i], up[i * 4 + j], 12);
            }
        Assert.Equal(0.0, up[0]);
        Assert.Equal(0.25 * 0.25 * 3 + 0.75 * 0.25 * 1 + 0.25 * 0.75 * 2, up[5], 12);
    }

    [Fact]
    public void ResizeMatchesTheHalfPixelFormulaUpAndDown()
    {
        var rng = new Random(2);
        var img = Enumerable.Range(0, 7 * 5).Select(_ => rng.NextDouble()).ToArray();
        foreach (var (oh, ow) in new[] { (224, 224), (16, 9), (3, 2) })
            Assert.True(Reference.RelErr(CamPostProcessor.Resize(img, 7, 5, oh, ow), Reference.ResizeLinear(img, 7, 5, oh, ow)) < 1e-12);
    }

    [Fact]
    public void ReluThenMinMaxThenResizeThenMinMaxAgain()
    {
        double[] cam = [-1, 0.5, 2, 1];
        var final = CamPostProcessor.Finalize([Tensor.FromArray(cam, [1, 2, 2])], 4, 4)[0];
        // ReLU: [0, .5, 2, 1]; min-max: /(2 + 1e-7); resize; mean of one layer; min-max again
        var expected = Reference.PostProcess([(cam, 2, 2)], 4, 4);
        for (int q = 0; q < 16; q++) Assert.Equal(expected[q], final[q], 6);
        Assert.Equal(0f, final[0]);
        Assert.InRange(final.Max(), 0.9999f, 1f);
        // by hand: after ReLU and min-max ≈ [0, .25, 1, .5]; output (1, 1) weighs them .75·.75, .75·.25, .25·.75, .25·.25
        Assert.Equal(0.1875 * 0.25 + 0.1875 * 1 + 0.0625 * 0.5, final[5], 5);
        Assert.Equal(1f, final[12], 5); // output (3, 0) is source (1, 0) exactly: the maximum
    }

    [Fact]
    public void SeveralLayersStackReluMeanAndMinMax()
    {
        var rng = new Random(5);
        var a = Enumerable.Range(0, 2 * 7 * 7).Select(_ => rng.NextDouble() * 2 - 0.5).ToArray();
        var b = Enumerable.Range(0, 2 * 14 * 14).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var final = CamPostProcessor.Finalize([Tensor.FromArray(a, [2, 7, 7]), Tensor.FromArray(b, [2, 14, 14])], 28, 28);
        for (int n = 0; n < 2; n++)
        {
            var expected = Reference.PostProcess([(a[(n * 49)..((n + 1) * 49)], 7, 7), (b[(n * 196)..((n + 1) * 196)], 14, 14)], 28, 28);
            Assert.True(Reference.RelErr(final[n].Select(v => (double)v).ToArray(), expected) < 1e-6);
        }
    }

    [Fact]
    public void AllZeroAndNegativeAndNaNMapsStayZero()
    {
        var maps = Tensor.FromArray(new double[] { 0, 0, 0, 0, -1, -2, -3, -4, double.NaN, 0, 0, 0 }, [3, 2, 2]);
        foreach (var m in CamPostProcessor.Finalize([maps], 5, 5))
            Assert.All(m, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ConstantPositiveMapIsZeroAndSameSizeIsNotResized()
    {
        var c = CamPostProcessor.Finalize([Tensor.FromArray(new double[] { 3, 3, 3, 3 }, [1, 2, 2])], 2, 2)[0];
        Assert.All(c, v => Assert.Equal(0f, v));
        var d = CamPostProcessor.Finalize([Tensor.FromArray(new double[] { 0, 1, 2, 4 }, [1, 2, 2])], 2, 2)[0];
        Assert.Equal(new[] { 0, 0.25, 0.5, 1 }.Select(v => v / (1 + 1e-7) / (1 + 1e-7)), d.Select(v => (double)v), new Tol(1e-6));
    }

    private sealed class Tol(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= eps;
        public int GetHashCode(double obj) => 0;
    }
}
