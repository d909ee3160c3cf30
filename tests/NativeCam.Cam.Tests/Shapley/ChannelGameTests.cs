using NativeCam.Cam.Probe;
using NativeCam.Cam.Shapley;
using NativeCam.Cam.Tests.Methods;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Shapley;

/// <summary>The channel game v(S) = u(head(A ⊙ 1_S)) on real heads, against oracles computed here.</summary>
public class ChannelGameTests
{
    /// <summary>u(head(A ⊙ 1_S)) of one image, evaluated by the executor directly (one coalition at a time).</summary>
    private static Func<bool[], double> Reference(Model model, string layer, LayerSignals s, int image, Utility u, int cls)
    {
        int n = s.Activations.Shape[0], c = s.Activations.Shape[1], plane = s.Activations.Shape[2] * s.Activations.Shape[3];
        var a = s.Activations.ToArray();
        return mask =>
        {
            var data = new double[a.Length];
            for (int img = 0; img < n; img++) // the image in every row of the batch the model was imported for
                for (int k = 0; k < c; k++)
                    if (mask[k]) Array.Copy(a, (image * c + k) * plane, data, (img * c + k) * plane, plane);
            var given = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [layer] = Tensor.FromArray(data, s.Activations.Shape) };
            foreach (var (name, t) in s.SideInputs)
            {
                var one = t.Slice([image], [image + 1], [0]).ToArray();
                given[name] = Tensor.FromArray(Enumerable.Repeat(one, n).SelectMany(v => v).ToArray(), t.Shape);
            }
            var logits = model.Evaluate(given, [model.OutputName])[model.OutputName];
            return Utilities.PerImage(u, logits.Reshape(n, -1), [cls])[0];
        };
    }

    [Fact]
    public void QuadraticHeadWithLogitIsRecoveredExactlyAndEqualsShapleyCam()
    {
        var model = QuadraticHead.Load(new OnnxImportOptions { DType = DType.Float64 });
        var x = Tensor.Uniform([1, 3, 6, 6], 8, -1, 1, DType.Float64);
        var probe = new LayerProbe(model);
        var r = probe.Run(x, [QuadraticHead.Target], Utility.Logit);
        var s = r.Layers[0];
        var game = new ChannelGame(probe, s, 0, Utility.Logit, r.Classes[0], batchSize: 4);
        var exact = ExactShapley.Values(5, bits => Reference(model, QuadraticHead.Target, s, 0, Utility.Logit, r.Classes[0])(ExactShapley.Mask(5, bits)));
        var shapleyCam = ChannelContributions.ShapleyCam(s, 0);
        var gradCam = ChannelContributions.GradCam(s, 0);
        for (int seed = 0; seed < 3; seed++)
        {
            var e = PermutationSampler.Estimate(game.AsGame(), 5, new ShapleyOptions { Samples = 2, Seed = seed, BatchSize = 4 });
            for (int k = 0; k < 5; k++)
            {
                Assert.Equal(exact[k], e.Values[k], 10);
                Assert.Equal(exact[k], shapleyCam[k], 10); // the Taylor game is the game
            }
        }
        Assert.True(exact.Zip(gradCam, (p, g) => Math.Abs(p - g)).Max() > 1e-3, "the quadratic term should matter here");
    }

    [Fact]
    public void SiluHeadWithSideInputMatchesEnumeratedShapleyValues()
    {
        // SiLU acts per element, so the logits are additive over channels and only ReST's logsumexp couples them
        var model = SmallCnn.Load(new OnnxImportOptions { DType = DType.Float64, InputShape = [2, 3, 16, 16] });
        var x = Tensor.Uniform([2, 3, 16, 16], 4, -2, 2, DType.Float64);
        AssertMatchesEnumeration(model, SmallCnn.Target, x, image: 1, minStdError: 1e-8);
    }

    [Fact]
    public void QuadraticHeadWithRestMatchesEnumeratedShapleyValues()
    {
        var model = QuadraticHead.Load(new OnnxImportOptions { DType = DType.Float64 });
        var x = Tensor.Uniform([1, 3, 6, 6], 8, -1, 1, DType.Float64);
        AssertMatchesEnumeration(model, QuadraticHead.Target, x, image: 0, minStdError: 1e-4);
    }

    private static void AssertMatchesEnumeration(Model model, string layer, Tensor x, int image, double minStdError)
    {
        var probe = new LayerProbe(model);
        var r = probe.Run(x, [layer], Utility.Rest);
        var s = r.Layers[0];
        int cls = r.Classes[image], c = s.Activations.Shape[1];
        var reference = Reference(model, layer, s, image, Utility.Rest, cls);
        var game = new ChannelGame(probe, s, image, Utility.Rest, cls, batchSize: 16);

        // v(N) is the utility of the unmasked forward pass; v(∅) the head on zero activations
        var ends = game.Evaluate([Enumerable.Repeat(true, c).ToArray(), new bool[c]]);
        Assert.Equal(Utilities.PerImage(Utility.Rest, r.Logits, r.Classes)[image], ends[0], 10);
        Assert.Equal(reference(new bool[c]), ends[1], 10);

        var exact = ExactShapley.Values(c, bits => reference(ExactShapley.Mask(c, bits)));
        var e = PermutationSampler.Estimate(game.AsGame(), c, new ShapleyOptions { Samples = 600, Seed = 2, BatchSize = 16 });
        Assert.True(e.StdErrors.Max() > minStdError, $"expected sampling noise (the game is not quadratic); max std error {e.StdErrors.Max()}");
        for (int k = 0; k < c; k++)
            Assert.True(Math.Abs(e.Values[k] - exact[k]) < 4 * e.StdErrors[k] + 1e-12, $"channel {k}: {e.Values[k]} vs exact {exact[k]} ± {e.StdErrors[k]}");
        Assert.True(e.EfficiencyResidual < 1e-10);
        Assert.Equal(ends[0] - ends[1], e.Sum, 10);
    }

    [Fact]
    public void CompareReportsTheClosedFormsAndCorrelations()
    {
        var model = SmallCnn.Load(new OnnxImportOptions { DType = DType.Float64 });
        var probe = new LayerProbe(model);
        var x = Tensor.Uniform([1, 3, 16, 16], 6, -2, 2, DType.Float64);
        var r = ChannelShapley.Run(probe, x, SmallCnn.Target, Utility.Rest, 2, new ShapleyOptions { Samples = 8, BatchSize = 8 });
        Assert.Equal(2, r.Class);
        Assert.Equal(8, r.Estimate.Samples);
        var signals = probe.Run(x, [SmallCnn.Target], Utility.Rest, [2]).Layers[0];
        var a = signals.Activations.ToArray();
        var g = signals.Gradients.ToArray();
        var ha = signals.HessianTimesActivations!.ToArray();
        int plane = 64;
        for (int k = 0; k < 6; k++)
        {
            var range = Enumerable.Range(k * plane, plane);
            Assert.Equal(range.Sum(q => a[q] * (g[q] - 0.5 * ha[q])), r.ShapleyCamContributions[k], 10);
            Assert.Equal(range.Sum(q => a[q] * g[q]), r.GradCamContributions[k], 10);
        }
        Assert.Equal(RankStatistics.Spearman(r.Estimate.Values, r.ShapleyCamContributions), r.SpearmanShapleyCam);
        Assert.InRange(r.SpearmanGradCam, -1, 1);
    }
}
