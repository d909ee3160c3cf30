using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>FinerCAM (against per-class gradients and its α = 0 identity) and RefineCAM (product of layers; one layer = base).</summary>
public class FinerRefineTests
{
    private static readonly Model Model = SmallCnn.Load(new OnnxImportOptions { DType = DType.Float64 });
    private static readonly Tensor X = Tensor.Uniform([1, 3, 16, 16], 51, -2, 2, DType.Float64);

    private static CamContext Context(LayerProbe probe, ProbeResult r, Utility u, CamFamilyParameters p) =>
        new(probe, X, r, u, Parameters: new MethodParameters { CamFamily = p });

    [Fact]
    public void ComparedClassesAreTheClosestLogits()
    {
        double[] o = [1.0, 5.0, 4.2, 6.1, -3.0, 5.0];
        Assert.Equal([5, 2, 3], FinerCam.Compared(o, 1, 6, [1], 3)[0]); // |Δ|: 0 (class 5), 0.8 (class 2), 1.1 (class 3)
        Assert.Throws<ArgumentException>(() => FinerCam.Compared(o, 1, 6, [1], 6));
    }

    /// <summary>
    /// g of the FinerCAM target is Σ_j ∂t/∂o_j·∂o_j/∂A: the per-class gradients come from the probe (logit utility,
    /// one class at a time) and ∂t/∂o by central differences of t written in plain doubles.
    /// </summary>
    [Theory]
    [InlineData(1.0, 3)]
    [InlineData(0.6, 2)]
    public void FinerCamIsTheBaseMethodOnTheWeightedTarget(double alpha, int k)
    {
        var probe = new LayerProbe(Model);
        var r = probe.Run(X, [SmallCnn.Target], Utility.Rest, withHvp: false);
        var o = r.Logits.ToArray();
        int c = r.Classes[0], classes = o.Length;
        var compared = Enumerable.Range(0, classes).Where(j => j != c).OrderBy(j => Math.Abs(o[j] - o[c])).Take(k).ToArray();
        double T(double[] z)
        {
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            double num = 0, den = 0;
            foreach (int j in compared) { double p = Math.Exp(z[j] - max) / sum; num += p * (z[c] - alpha * z[j]); den += p; }
            return num / (den + 1e-9);
        }
        var s = Reference.Of(r.Layers[0], 0);
        var g = s.G.Select(p => new double[p.Length]).ToArray();
        for (int j = 0; j < classes; j++)
        {
            var zp = (double[])o.Clone(); zp[j] += 1e-6;
            var zm = (double[])o.Clone(); zm[j] -= 1e-6;
            double dt = (T(zp) - T(zm)) / 2e-6;
            var gj = Reference.Of(probe.Run(X, [SmallCnn.Target], Utility.Logit, [j], withHvp: false).Layers[0], 0).G;
            for (int ch = 0; ch < g.Length; ch++)
                for (int q = 0; q < g[ch].Length; q++) g[ch][q] += dt * gj[ch][q];
        }
        var expected = Reference.Map("gradcam", s with { G = g });
        var p0 = new CamFamilyParameters { Alpha = alpha, Compare = k };
        var actual = new FinerCam().Compute(r.Layers[0], Context(probe, r, Utility.Rest, p0)).ToArray();
        Assert.True(Reference.RelErr(actual, expected) < 1e-7, $"relative error {Reference.RelErr(actual, expected):g3}");
        // and it is not the plain GradCAM of the utility
        Assert.True(Reference.RelErr(Reference.Map("gradcam", s), expected) > 1e-3);
    }

    [Theory]
    [InlineData("gradcam")]
    [InlineData("gradcam++")]
    [InlineData("shapleycam")]
    public void FinerCamWithAlphaZeroIsTheBaseMethodOnTheLogit(string basis)
    {
        var probe = new LayerProbe(Model);
        var rest = probe.Run(X, [SmallCnn.Target], Utility.Rest, withHvp: false);
        var logit = probe.Run(X, [SmallCnn.Target], Utility.Logit, rest.Classes, withHvp: true);
        var p = new CamFamilyParameters { Alpha = 0, BaseMethod = basis };
        var actual = new FinerCam().Compute(rest.Layers[0], Context(probe, rest, Utility.Rest, p)).ToArray();
        var expected = CamMethods.Create(basis).Compute(logit.Layers[0], Context(probe, logit, Utility.Logit, new())).ToArray();
        Assert.True(Reference.RelErr(actual, expected) < 1e-7, $"{basis}: {Reference.RelErr(actual, expected):g3}");
    }

    [Fact]
    public void FinerCamRefusesANonGradientBase()
    {
        var probe = new LayerProbe(Model);
        var r = probe.Run(X, [SmallCnn.Target], Utility.Rest, withHvp: false);
        var e = Assert.Throws<ArgumentException>(() => new FinerCam().Compute(r.Layers[0], Context(probe, r, Utility.Rest, new() { BaseMethod = "scorecam" })));
        Assert.Contains("--base-method", e.Message);
    }

    [Theory]
    [InlineData(null, "gradcam++")]
    [InlineData("hirescam", "hirescam")]
    [InlineData("shapleycam", "shapleycam")]
    public void RefineCamWithOneLayerIsItsBaseMethod(string? basis, string expected)
    {
        var explainer = new Explainer(Model);
        var o = new ExplainOptions
        {
            Methods = ["refinecam"], Layers = [SmallCnn.Target],
            Parameters = new MethodParameters { CamFamily = new() { BaseMethod = basis } },
        };
        // alone, so that for shapleycam RefineCAM probes H·A itself
        var refine = explainer.Explain(X, o).Methods[0].Maps[0];
        var plain = explainer.Explain(X, o with { Methods = [expected] }).Methods[0].Maps[0];
        var d = refine.Zip(plain, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(d < 1e-6, $"{d:g3}");
    }

    [Fact]
    public void RefineCamMultipliesThePostProcessedLayersWhileOtherMethodsAverageThem()
    {
        string[] layers = [SmallCnn.Target, SmallCnn.Early];
        var e = new Explainer(Model).Explain(X, new ExplainOptions { Methods = ["refinecam", "gradcam++"], Layers = layers });
        var r = new LayerProbe(Model).Run(X, layers, Utility.Rest, withHvp: false);
        var perLayer = r.Layers.Select(l => Reference.PostProcess([(Reference.Map("gradcam++", Reference.Of(l, 0)), l.Activations.Shape[2], l.Activations.Shape[3])], 16, 16)).ToList();
        var product = perLayer[0].Zip(perLayer[1], (a, b) => a * b).ToArray();
        double mn = product.Min();
        var scaled = product.Select(v => v - mn).ToArray();
        double mx = scaled.Max();
        var expected = scaled.Select(v => v / (1e-7 + mx)).ToArray();
        Assert.True(expected.Max(v => v) > 0.99);
        var actual = e.Methods[0].Maps[0];
        Assert.True(expected.Select((v, i) => Math.Abs(v - actual[i])).Max() < 1e-5, "refinecam");
        var mean = Reference.PostProcess(r.Layers.Select(l => (Reference.Map("gradcam++", Reference.Of(l, 0)), l.Activations.Shape[2], l.Activations.Shape[3])).ToList(), 16, 16);
        Assert.True(mean.Select((v, i) => Math.Abs(v - e.Methods[1].Maps[0][i])).Max() < 1e-5, "gradcam++ still averages");
        Assert.True(mean.Select((v, i) => Math.Abs(v - actual[i])).Max() > 1e-2, "product and mean coincide: the test shows nothing");
    }
}
