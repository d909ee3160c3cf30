using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>The Explainer on MobileNetV2: several layers, eigen-smooth, determinism, batches; aug-smooth on the small CNN.</summary>
public class ExplainerTests(MobileNetFixture f) : IClassFixture<MobileNetFixture>
{
    private static void Close(IReadOnlyList<double> expected, float[] actual, double tol, string what)
    {
        double d = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.True(d < tol, $"{what}: max difference {d:g3}");
    }

    [Fact]
    public void SeveralTargetLayersInOneCall()
    {
        string[] layers = [MobileNetFixture.Layer, f.Early];
        var e = f.Explainer.Explain(f.Input, new ExplainOptions { Methods = ["gradcam", "shapleycam"], Layers = layers });
        var r = f.Probe.Run(f.Input, layers, Utility.Rest);
        Assert.Equal(14, r.Layers[1].Activations.Shape[2]);
        Assert.True(r.Layers[1].HessianTimesActivations!.ToArray().Max(Math.Abs) > 0);
        foreach (var mm in e.Methods)
        {
            var maps = r.Layers.Select(l => (Reference.Map(mm.Method, Reference.Of(l, 0)), l.Activations.Shape[2], l.Activations.Shape[3])).ToList();
            Close(Reference.PostProcess(maps, 224, 224), mm.Maps[0], 1e-5, mm.Method);
        }
    }

    [Fact]
    public void EigenSmoothProjectsTheWeightedActivations()
    {
        string[] methods = ["gradcam", "hirescam", "shapleycam", "eigencam"];
        var e = f.Explainer.Explain(f.Input, new ExplainOptions { Methods = methods, EigenSmooth = true });
        var s = Reference.Of(f.Rest.Layers[0], 0);
        foreach (var mm in e.Methods)
        {
            var x = mm.Method == "eigencam" ? s.A : Reference.Contributions(mm.Method, s);
            Close(Reference.PostProcess([(Reference.Projection(x), 7, 7)], 224, 224), mm.Maps[0], 1e-5, mm.Method);
        }
    }

    [Fact]
    public void DeterministicRunToRun()
    {
        var o = new ExplainOptions { Methods = ["shapleycam", "eigencam", "random"] };
        var a = f.Explainer.Explain(f.Input, o);
        var b = f.Explainer.Explain(f.Input, o);
        for (int m = 0; m < a.Methods.Count; m++) Assert.Equal(a.Methods[m].Maps[0], b.Methods[m].Maps[0]);
    }

    [Fact]
    public void AnExplanationsSignalsOutliveItAndTheNextOne()
    {
        // the explainer disposes its intermediates and lends their memory to the next call; the signals it returns
        // must stay readable and unchanged, and equal those of a direct probe
        var o = new ExplainOptions { Methods = ["shapleycam"] };
        var first = f.Explainer.Explain(f.Input, o);
        var a = first.Signals.Layers[0].Activations.ToArray();
        var ha = first.Signals.Layers[0].HessianTimesActivations!.ToArray();
        var logits = first.Signals.Logits.ToArray();
        f.Explainer.Explain(Tensor.Uniform([1, 3, 224, 224], 9, -2, 2), o);
        Assert.Equal(a, first.Signals.Layers[0].Activations.ToArray());
        Assert.Equal(ha, first.Signals.Layers[0].HessianTimesActivations!.ToArray());
        Assert.Equal(logits, first.Signals.Logits.ToArray());
        Assert.Equal(f.Rest.Layers[0].Gradients.ToArray(), first.Signals.Layers[0].Gradients.ToArray());
    }

    [Fact]
    public void ImageKOfABatchGivesTheSameMapAsAlone()
    {
        var other = Tensor.Uniform([1, 3, 224, 224], 8, -2, 2);
        var batch = Tensor.Concat([other, f.Input], 0);
        var o = new ExplainOptions { Methods = ["gradcam", "shapleycam", "layercam"] };
        var both = f.Explainer.Explain(batch, o);
        var alone = f.Explainer.Explain(f.Input, o);
        Assert.Equal(alone.Classes[0], both.Classes[1]);
        for (int m = 0; m < o.Methods.Count; m++)
            Close(alone.Methods[m].Maps[0].Select(v => (double)v).ToArray(), both.Methods[m].Maps[1], 1e-5, o.Methods[m]);
    }

    [Fact]
    public void AugSmoothAveragesTheUnflippedMapsOfSixAugmentations()
    {
        var explainer = new Explainer(SmallCnn.Load());
        var x = Tensor.Uniform([1, 3, 16, 16], 30, -2, 2);
        var o = new ExplainOptions { Methods = ["gradcam", "shapleycam"], Layers = [SmallCnn.Target] };
        var smooth = explainer.Explain(x, o with { AugSmooth = true });
        var plain = explainer.Explain(x, o);
        var xv = x.ToArray();
        var sums = new double[2][];
        for (int m = 0; m < 2; m++) sums[m] = new double[256];
        foreach (bool flip in new[] { false, true })
            foreach (double factor in new[] { 0.9, 1.0, 1.1 })
            {
                var aug = new double[xv.Length];
                for (int row = 0; row < 3 * 16; row++)
                    for (int j = 0; j < 16; j++) aug[row * 16 + j] = factor * xv[row * 16 + (flip ? 15 - j : j)];
                var e = explainer.Explain(Tensor.FromDoubles(aug, x.Shape, x.DType), o with { Classes = plain.Classes });
                for (int m = 0; m < 2; m++)
                    for (int i = 0; i < 16; i++)
                        for (int j = 0; j < 16; j++) sums[m][i * 16 + j] += e.Methods[m].Maps[0][i * 16 + (flip ? 15 - j : j)] / 6.0;
            }
        for (int m = 0; m < 2; m++) Close(sums[m], smooth.Methods[m].Maps[0], 1e-5, o.Methods[m]);
        Assert.NotEqual(plain.Methods[0].Maps[0], smooth.Methods[0].Maps[0]);
    }
}
