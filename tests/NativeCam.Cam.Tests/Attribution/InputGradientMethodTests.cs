using NativeCam.Cam.Attribution;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Attribution;

/// <summary>
/// The gradient attributions against closed forms on a linear model and against central finite differences of the
/// float64 small CNN (plain loops in the test).
/// </summary>
public class InputGradientMethodTests
{
    private static readonly Model Linear = TinyModels.Linear();
    private static readonly Model Cnn = TinyModels.SmallCnn64();

    /// <summary>A context explaining each image's top-1 class (the signals are not read by input attributions).</summary>
    internal static CamContext Context(Model model, Tensor x, Utility utility = Utility.Logit, AttributionParameters? p = null, int batch = 3)
    {
        var probe = new LayerProbe(model.ForBatch(x.Shape[0]));
        var logits = probe.EvaluateModel(x);
        var r = new ProbeResult(logits, LayerProbe.TopOne(logits), [new LayerSignals("x", x, x, null)]);
        return new CamContext(probe, x, r, utility, Seed: 7, BatchSize: batch, Parameters: new MethodParameters { Attribution = p ?? new() });
    }

    private static Tensor Input(int n, int h, int seed) => Tensor.Uniform([n, 3, h, h], seed, -2, 2, DType.Float64);

    /// <summary>u of every row of a batch for the given classes, from plain forward passes.</summary>
    private static double[] U(Model model, double[] x, int rows, int[] classes, Utility utility)
    {
        var shape = (int[])model.InputShape.Clone();
        shape[0] = rows;
        var logits = model.ForBatch(rows).Run(Tensor.FromDoubles(x, shape, DType.Float64));
        return Utilities.PerImage(utility, logits, classes);
    }

    /// <summary>∂u/∂x of one image by central differences (step 1e-5), all elements in one batch.</summary>
    private static double[] FiniteGradient(Model model, double[] x, int cls, Utility utility)
    {
        const double H = 1e-5;
        int size = x.Length;
        var rows = new double[2 * size * size];
        for (int i = 0; i < size; i++)
        {
            x.CopyTo(rows, 2 * i * size);
            x.CopyTo(rows, (2 * i + 1) * size);
            rows[2 * i * size + i] += H;
            rows[(2 * i + 1) * size + i] -= H;
        }
        var u = U(model, rows, 2 * size, [cls], utility);
        return Enumerable.Range(0, size).Select(i => (u[2 * i] - u[2 * i + 1]) / (2 * H)).ToArray();
    }

    [Fact]
    public void OnALinearModelInputXGradientIsEachElementsExactContribution()
    {
        var x = Input(2, 8, 1);
        var ctx = Context(Linear, x);
        var a = new InputXGradient().Attribute(ctx);
        var (w, _) = TinyModels.LinearWeights();
        var xs = x.ToArray();
        for (int n = 0; n < 2; n++)
        {
            int c = ctx.Result.Classes[n];
            for (int i = 0; i < 192; i++)
                Assert.Equal(xs[n * 192 + i] * (float)w[c * 192 + i], a[n * 192 + i], 1e-9);
        }
        var s = new Saliency().Attribute(ctx);
        for (int i = 0; i < 192; i++) Assert.Equal(Math.Abs((float)w[ctx.Result.Classes[0] * 192 + i]), s[i], 1e-9);
    }

    [Fact]
    public void OnALinearModelIntegratedGradientsAreCompleteWithAnyStepCount()
    {
        var x = Input(2, 8, 2);
        foreach (var baseline in new[] { IntegratedGradientsBaseline.Black, IntegratedGradientsBaseline.Blur })
        {
            var p = new AttributionParameters { Steps = 1, Baseline = baseline, BlurSigma = 1.5 };
            var ig = new IntegratedGradients();
            var ctx = Context(Linear, x, p: p);
            var a = ig.Attribute(ctx);
            var (w, _) = TinyModels.LinearWeights();
            var xs = x.ToArray();
            for (int n = 0; n < 2; n++)
            {
                var b = IntegratedGradients.Baseline(xs[(n * 192)..((n + 1) * 192)], 3, 8, 8, p);
                int c = ctx.Result.Classes[n];
                for (int i = 0; i < 192; i++)
                    Assert.Equal((xs[n * 192 + i] - b[i]) * (float)w[c * 192 + i], a[n * 192 + i], 1e-9);
                Assert.True(Math.Abs(ig.Extras![IntegratedGradients.Residual][n]) < 1e-9, $"{baseline}: residual {ig.Extras[IntegratedGradients.Residual][n]:g3}");
            }
        }
    }

    [Fact]
    public void SaliencyAndInputXGradientMatchFiniteDifferencesOnTheSmallCnn()
    {
        var x = Input(2, 16, 3);
        var ctx = Context(Cnn, x, Utility.Rest);
        var saliency = new Saliency().Attribute(ctx);
        var ixg = new InputXGradient().Attribute(ctx);
        var xs = x.ToArray();
        int size = 768;
        for (int n = 0; n < 2; n++)
        {
            var g = FiniteGradient(Cnn.ForBatch(1), xs[(n * size)..((n + 1) * size)], ctx.Result.Classes[n], Utility.Rest);
            for (int i = 0; i < size; i++)
            {
                Assert.Equal(Math.Abs(g[i]), saliency[n * size + i], 1e-6);
                Assert.Equal(xs[n * size + i] * g[i], ixg[n * size + i], 1e-6);
            }
        }
    }

    [Fact]
    public void IntegratedGradientsMatchAPlainRiemannSumAndTheResidualShrinksWithSteps()
    {
        var x = Input(1, 16, 4);
        var xs = x.ToArray();
        var p = new AttributionParameters { Steps = 3 };
        var ctx = Context(Cnn, x, Utility.Logit, p);
        var ig = new IntegratedGradients();
        var a = ig.Attribute(ctx);
        var b = IntegratedGradients.Baseline(xs, 3, 16, 16, p);
        var expected = new double[xs.Length];
        for (int k = 0; k < 3; k++)
        {
            double alpha = (k + 0.5) / 3;
            var point = xs.Select((v, i) => b[i] + alpha * (v - b[i])).ToArray();
            var g = FiniteGradient(Cnn.ForBatch(1), point, ctx.Result.Classes[0], Utility.Logit);
            for (int i = 0; i < xs.Length; i++) expected[i] += (xs[i] - b[i]) * g[i] / 3;
        }
        for (int i = 0; i < xs.Length; i++) Assert.Equal(expected[i], a[i], 1e-6);
        double uX = U(Cnn.ForBatch(1), xs, 1, ctx.Result.Classes, Utility.Logit)[0], uB = U(Cnn.ForBatch(1), b, 1, ctx.Result.Classes, Utility.Logit)[0];
        Assert.Equal(expected.Sum() - (uX - uB), ig.Extras![IntegratedGradients.Residual][0], 1e-6);

        double Residual(int steps)
        {
            var m = new IntegratedGradients();
            m.Attribute(Context(Cnn, x, Utility.Logit, new AttributionParameters { Steps = steps }));
            return Math.Abs(m.Extras![IntegratedGradients.Residual][0]);
        }
        double r2 = Residual(2), r32 = Residual(32);
        Assert.True(r32 < r2 / 20, $"residual with 2 steps {r2:g3}, with 32 steps {r32:g3}");
    }

    [Fact]
    public void SmoothGradIsTheMeanGradientOverItsNoisySamples()
    {
        var x = Input(1, 16, 5);
        var xs = x.ToArray();
        var p = new AttributionParameters { Samples = 3, Noise = 0.1 };
        var ctx = Context(Cnn, x, Utility.Rest, p);
        var a = new SmoothGrad().Attribute(ctx);
        int seed = AttributionSeeds.For(7, xs, "smoothgrad");
        double sigma = 0.1 * (xs.Max() - xs.Min());
        var expected = new double[xs.Length];
        for (int s = 0; s < 3; s++)
        {
            var rng = new Random(seed + s);
            var noisy = xs.Select(v => v + sigma * Math.Sqrt(-2 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray();
            var g = FiniteGradient(Cnn.ForBatch(1), noisy, ctx.Result.Classes[0], Utility.Rest);
            for (int i = 0; i < xs.Length; i++) expected[i] += g[i] / 3;
        }
        for (int i = 0; i < xs.Length; i++) Assert.Equal(expected[i], a[i], 1e-6);
        // on a linear model every noisy gradient is W_c
        var lin = Context(Linear, Input(1, 8, 6), p: p);
        var sg = new SmoothGrad().Attribute(lin);
        var (w, _) = TinyModels.LinearWeights();
        for (int i = 0; i < 192; i++) Assert.Equal((float)w[lin.Result.Classes[0] * 192 + i], sg[i], 1e-9);
    }

    [Fact]
    public void MapsAreTheDocumentedChannelReductionsAtInputResolution()
    {
        var x = Input(2, 16, 8);
        var ctx = Context(Cnn, x, Utility.Rest);
        var ixg = new InputXGradient();
        var a = ixg.Attribute(ctx);
        var map = ixg.Compute(ctx.Result.Layers[0], ctx);
        Assert.Equal([2, 16, 16], map.Shape);
        var m = map.ToArray();
        for (int n = 0; n < 2; n++)
            for (int q = 0; q < 256; q++)
                Assert.Equal(Math.Abs(a[(n * 3) * 256 + q] + a[(n * 3 + 1) * 256 + q] + a[(n * 3 + 2) * 256 + q]), m[n * 256 + q], 12);
        var sal = new Saliency();
        var s = sal.Attribute(ctx);
        var sm = sal.Compute(ctx.Result.Layers[0], ctx).ToArray();
        for (int q = 0; q < 256; q++) Assert.Equal(s[q] + s[256 + q] + s[512 + q], sm[q], 12);
    }

    [Fact]
    public void OutOfRangeSettingsNameTheirOption()
    {
        var x = Input(1, 8, 9);
        Assert.Contains("--samples", Assert.Throws<ArgumentException>(() => new SmoothGrad().Attribute(Context(Linear, x, p: new() { Samples = 0 }))).Message);
        Assert.Contains("--steps", Assert.Throws<ArgumentException>(() => new IntegratedGradients().Attribute(Context(Linear, x, p: new() { Steps = 0 }))).Message);
        Assert.Contains("--noise", Assert.Throws<ArgumentException>(() => new SmoothGrad().Attribute(Context(Linear, x, p: new() { Noise = double.NaN }))).Message);
        Assert.Contains("--masks", Assert.Throws<ArgumentException>(() => new Rise().Attribute(Context(Linear, x, p: new() { Masks = 0 }))).Message);
        Assert.Contains("--keep-probability", Assert.Throws<ArgumentException>(() => new Rise().Attribute(Context(Linear, x, p: new() { KeepProbability = 0 }))).Message);
        Assert.Contains("--stride", Assert.Throws<ArgumentException>(() => new Occlusion().Attribute(Context(Linear, x, p: new() { Stride = 0 }))).Message);
        Assert.Contains("--window", Assert.Throws<ArgumentException>(() => new Occlusion().Attribute(Context(Linear, x, p: new() { Window = 0 }))).Message);
    }
}
