using NativeCam.Cam.Images;
using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>
/// The bias-gradient probe (FullGrad's completeness identity on a ReLU network with biases), FullGrad against
/// plain loops, guided backpropagation through a whole model (fused and unfused) and Guided Grad-CAM.
/// </summary>
public class FullGradGuidedTests
{
    private static readonly Model Optimized = ReluCnn.Load(new OnnxImportOptions { DType = DType.Float64 });
    private static readonly Model Unoptimized = ReluCnn.Load(new OnnxImportOptions { DType = DType.Float64, Optimize = false });
    private static readonly Tensor X = Tensor.Uniform([2, 3, 12, 12], 61, -2, 2, DType.Float64);

    private static int[] Top(Model m) => LayerProbe.TopOne(m.ForBatch(2).Run(X));

    /// <summary>A piecewise-linear network is Σ ∂f/∂x·x + Σ_layers Σ ∂f/∂z·b + the last layer's bias.</summary>
    [Fact]
    public void BiasGradientsCompleteTheInputGradient()
    {
        var classes = Top(Optimized);
        var s = BiasGradients.Probe(Optimized, X, Utility.Logit, classes);
        Assert.Equal(ReluCnn.BiasLayers, s.Layers.Select(l => l.Layer));
        var logits = Optimized.ForBatch(2).Run(X).ToArray();
        var b4 = ReluCnn.Parameters().B4;
        var x = X.ToArray();
        var gx = s.InputGradient.ToArray();
        for (int n = 0; n < 2; n++)
        {
            int plane = 3 * 144;
            double total = b4[classes[n]];
            for (int i = n * plane; i < (n + 1) * plane; i++) total += gx[i] * x[i];
            double biasPart = 0;
            foreach (var l in s.Layers)
            {
                var g = l.Gradient.ToArray();
                int k = l.Gradient.Shape[1], p = l.Gradient.Shape[2] * l.Gradient.Shape[3];
                for (int ch = 0; ch < k; ch++)
                    for (int q = 0; q < p; q++) biasPart += g[(n * k + ch) * p + q] * l.Bias[ch];
            }
            Assert.True(Math.Abs(biasPart) > 1e-3, "the biases contribute nothing: the identity is not tested");
            double o = logits[n * 3 + classes[n]];
            Assert.True(Math.Abs(total + biasPart - o) < 1e-10 * Math.Max(1, Math.Abs(o)), $"image {n}: {total + biasPart} vs {o}");
        }
        // the BatchNormalization's bias is the reference's BatchNorm2d bias β − μ·γ/√(σ² + ε)
        var (gamma, beta, mean, var, _) = ReluCnn.Parameters();
        var expected = Enumerable.Range(0, 6).Select(k => beta[k] - (double)mean[k] * gamma[k] * Math.Pow(var[k] + (double)1e-5f, -0.5)).ToArray();
        Assert.True(Reference.RelErr(s.Layers[1].Bias, expected) < 1e-12);
    }

    [Fact]
    public void TheUnoptimizedGraphGivesTheSameSignals()
    {
        var classes = Top(Optimized);
        var a = BiasGradients.Probe(Optimized, X, Utility.Rest, classes);
        var b = BiasGradients.Probe(Unoptimized, X, Utility.Rest, classes);
        Assert.True(Reference.RelErr(a.InputGradient.ToArray(), b.InputGradient.ToArray()) < 1e-12);
        for (int l = 0; l < 3; l++)
        {
            Assert.True(Reference.RelErr(a.Layers[l].Bias, b.Layers[l].Bias) < 1e-12, $"bias of {a.Layers[l].Layer}");
            Assert.True(Reference.RelErr(a.Layers[l].Gradient.ToArray(), b.Layers[l].Gradient.ToArray()) < 1e-12, $"gradient at {a.Layers[l].Layer}");
        }
        // and a layer's bias-gradient is the probe's g at that tensor
        var g = new LayerProbe(Optimized.ForBatch(2)).Run(X, ["bn"], Utility.Rest, classes, withHvp: false).Layers[0].Gradients;
        Assert.True(Reference.RelErr(a.Layers[1].Gradient.ToArray(), g.ToArray()) < 1e-12);
    }

    /// <summary>The reference's way: every channel min-max scaled and resized on its own, then everything summed.</summary>
    [Fact]
    public void FullGradSumsTheScaledChannelsOfTheInputAndEveryLayer()
    {
        var m = Optimized.ForBatch(2);
        var probe = new LayerProbe(m);
        var r = probe.Run(X, ["r2"], Utility.Rest, withHvp: false);
        var s = BiasGradients.Probe(m, X, Utility.Rest, r.Classes);
        var map = new FullGrad().Compute(r.Layers[0], new CamContext(probe, X, r, Utility.Rest)).ToArray();
        double[] Scale(double[] t)
        {
            double mn = t.Min();
            var u = t.Select(v => v - mn).ToArray();
            double mx = u.Max();
            return u.Select(v => v / (1e-7 + mx)).ToArray();
        }
        var x = X.ToArray();
        var gx = s.InputGradient.ToArray();
        for (int n = 0; n < 2; n++)
        {
            var expected = new double[144];
            for (int c = 0; c < 3; c++)
            {
                int o = (n * 3 + c) * 144;
                var t = Scale(Enumerable.Range(0, 144).Select(q => Math.Abs(gx[o + q] * x[o + q])).ToArray());
                for (int q = 0; q < 144; q++) expected[q] += t[q];
            }
            foreach (var l in s.Layers)
            {
                int k = l.Gradient.Shape[1], h = l.Gradient.Shape[2], w = l.Gradient.Shape[3];
                var g = l.Gradient.ToArray();
                for (int c = 0; c < k; c++)
                {
                    int o = (n * k + c) * h * w;
                    var up = Reference.ResizeLinear(Scale(Enumerable.Range(0, h * w).Select(q => Math.Abs(l.Bias[c] * g[o + q])).ToArray()), h, w, 12, 12);
                    for (int q = 0; q < 144; q++) expected[q] += up[q];
                }
            }
            Assert.True(Reference.RelErr(map.AsSpan(n * 144, 144).ToArray(), expected) < 1e-10, $"image {n}");
        }
    }

    [Fact]
    public void GuidedBackpropagationThroughFusedAndUnfusedModelsAgrees()
    {
        var classes = Top(Optimized);
        var fused = InputGradients.Compute(Optimized, X, Utility.Rest, classes, guided: true).ToArray();
        var unfused = InputGradients.Compute(Unoptimized, X, Utility.Rest, classes, guided: true).ToArray();
        var plain = InputGradients.Compute(Optimized, X, Utility.Rest, classes).ToArray();
        Assert.True(Reference.RelErr(fused, unfused) < 1e-12);
        Assert.True(Reference.RelErr(fused, plain) > 1e-2, "guided and plain gradients agree: the rule did nothing");
        Assert.False(GuidedBackprop.Active);
    }

    [Fact]
    public void GuidedMethodsAreMaxAbsOverColoursAndItsProductWithGradCam()
    {
        var m = Optimized.ForBatch(2);
        var probe = new LayerProbe(m);
        var r = probe.Run(X, ["r2"], Utility.Rest, withHvp: false);
        var ctx = new CamContext(probe, X, r, Utility.Rest);
        var gb = InputGradients.Compute(m, X, Utility.Rest, r.Classes, guided: true).ToArray();
        var gbMap = new GuidedBackpropCam().Compute(r.Layers[0], ctx).ToArray();
        var ggc = new GuidedGradCam().Compute(r.Layers[0], ctx).ToArray();
        for (int n = 0; n < 2; n++)
        {
            var s = Reference.Of(r.Layers[0], n);
            // the finished GradCAM map of the layer
            var scaled = Reference.PostProcess([(Reference.Map("gradcam", s), s.H, s.W)], 12, 12);
            for (int q = 0; q < 144; q++)
            {
                double e = Enumerable.Range(0, 3).Max(c => Math.Abs(gb[(n * 3 + c) * 144 + q]));
                Assert.True(Math.Abs(gbMap[n * 144 + q] - e) < 1e-15, $"guided-backprop, image {n}, pixel {q}");
                Assert.True(Math.Abs(ggc[n * 144 + q] - scaled[q] * e) < 1e-6 * e + 1e-12, $"guided-gradcam, image {n}, pixel {q}: {ggc[n * 144 + q]} vs {scaled[q]}·{e}");
            }
        }
    }

    [Fact]
    public void GuidedOverlayStandardisesTheProduct()
    {
        float[] map = [0f, 0.5f, 1f, 0.25f];
        double[] gb = [1, 2, 3, 4, -1, 0, 1, 2, 0.5, 0.5, -0.5, 1];
        var img = GuidedOverlay.Render(map, gb, 2, 2);
        var v = new double[12];
        for (int q = 0; q < 4; q++) for (int c = 0; c < 3; c++) v[q * 3 + c] = map[q] * gb[c * 4 + q];
        double mean = v.Average(), std = Math.Sqrt(v.Select(t => (t - mean) * (t - mean)).Average());
        var expected = v.Select(t => (byte)(Math.Clamp((t - mean) / (std + 1e-5) * 0.1 + 0.5, 0, 1) * 255)).ToArray();
        Assert.Equal(expected, img.Pixels);
        Assert.Equal((2, 2), (img.Width, img.Height));
        Assert.Throws<ArgumentException>(() => GuidedOverlay.Render(map, gb[..6], 2, 2));
    }
}
