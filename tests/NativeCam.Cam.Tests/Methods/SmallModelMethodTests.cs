using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>ScoreCAM and AblationCAM on the small CNN (target "t": 6 channels 8×8, negative values, a side input).</summary>
public class SmallModelMethodTests
{
    private static readonly Model Model = SmallCnn.Load();
    private static readonly Tensor X = Tensor.Uniform([1, 3, 16, 16], 21, -2, 2);

    private static double Rest(double[] o, int c)
    {
        double max = o.Max();
        return 2 * o[c] - (max + Math.Log(o.Sum(v => Math.Exp(v - max))));
    }

    [Fact]
    public void ScoreCamMatchesMaskedForwardPassesOneByOne()
    {
        var probe = new LayerProbe(Model);
        var r = probe.Run(X, [SmallCnn.Target], Utility.Rest);
        var s = Reference.Of(r.Layers[0], 0);
        int cls = r.Classes[0];
        var x = X.ToArray();
        var scores = new double[s.C];
        for (int k = 0; k < s.C; k++)
        {
            var up = Reference.ResizeAlignCorners(s.A[k], 8, 8, 16, 16);
            double mn = up.Min(), mx = up.Max();
            var mask = up.Select(v => (v - mn) / (mx - mn + 1e-8)).ToArray();
            var masked = x.Select((v, i) => v * mask[i % 256]).ToArray();
            scores[k] = Rest(Model.Run(Tensor.FromDoubles(masked, [1, 3, 16, 16], X.DType)).ToArray(), cls);
        }
        double smax = scores.Max();
        var e = scores.Select(v => Math.Exp(v - smax)).ToArray();
        var w = e.Select(v => v / e.Sum()).ToArray();
        var expected = Reference.ChannelSum(Reference.Weighted(w, s.A));
        var actual = new ScoreCam().Compute(r.Layers[0], new CamContext(probe, X, r, Utility.Rest, BatchSize: 4)).ToArray();
        Assert.True(Reference.RelErr(actual, expected) < 1e-5, $"relative error {Reference.RelErr(actual, expected):g3}");
    }

    [Fact]
    public void AblationCamUsesMinMinusOffsetWhenTheMinimumIsNotZero()
    {
        var probe = new LayerProbe(Model);
        var r = probe.Run(X, [SmallCnn.Target], Utility.Rest);
        var sig = r.Layers[0];
        var s = Reference.Of(sig, 0);
        int cls = r.Classes[0];
        var a = sig.Activations.ToArray();
        double min = a.Min();
        Assert.True(min < 0);
        double y = Rest(r.Logits.ToArray(), cls);
        var w = new double[s.C];
        for (int k = 0; k < s.C; k++)
        {
            var ablated = (double[])a.Clone();
            Array.Fill(ablated, min - 1e7, k * 64, 64);
            var given = new Dictionary<string, Tensor>(sig.SideInputs) { [SmallCnn.Target] = Tensor.FromDoubles(ablated, sig.Activations.Shape, X.DType) };
            w[k] = (y - Rest(Model.Evaluate(given, [Model.OutputName])[Model.OutputName].ToArray(), cls)) / y;
        }
        var expected = Reference.ChannelSum(Reference.Weighted(w, s.A));
        var actual = new AblationCam().Compute(sig, new CamContext(probe, X, r, Utility.Rest, BatchSize: 4)).ToArray();
        Assert.True(Reference.RelErr(actual, expected) < 1e-5, $"relative error {Reference.RelErr(actual, expected):g3}");
    }

    [Fact]
    public void EveryMethodGivesImageKOfABatchAsAlone()
    {
        var explainer = new Explainer(Model);
        var x2 = Tensor.Uniform([2, 3, 16, 16], 22, -2, 2);
        var options = new ExplainOptions { Methods = [.. CamMethods.Names], Layers = [SmallCnn.Target], BatchSize = 4 };
        var both = explainer.Explain(x2, options);
        for (int n = 0; n < 2; n++)
        {
            var alone = explainer.Explain(x2.Slice([n], [n + 1], [0]), options with { ImageIndex = n });
            Assert.Equal(alone.Classes[0], both.Classes[n]);
            for (int m = 0; m < both.Methods.Count; m++)
            {
                Assert.Equal(alone.Methods[m].Method, both.Methods[m].Method);
                var d = alone.Methods[m].Maps[0].Zip(both.Methods[m].Maps[n], (p, q) => Math.Abs(p - q)).Max();
                Assert.True(d < 1e-5, $"{both.Methods[m].Method}, image {n}: {d:g3}");
            }
        }
    }
}
