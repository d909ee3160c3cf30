using NativeCam.Cam.Methods;
using NativeCam.Cam.Probe;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>Each method on MobileNetV2 at '627' against a straightforward implementation of its formula.</summary>
public class MethodFormulaTests(MobileNetFixture f) : IClassFixture<MobileNetFixture>
{
    [Theory]
    [InlineData("gradcam")]
    [InlineData("hirescam")]
    [InlineData("gradcam-elementwise")]
    [InlineData("gradcam++")]
    [InlineData("xgradcam")]
    [InlineData("layercam")]
    [InlineData("shapleycam")]
    [InlineData("shapleycam-h")]
    [InlineData("shapleycam-e")]
    [InlineData("random")]
    [InlineData("eigencam")]
    [InlineData("eigengradcam")]
    public void MatchesItsFormula(string method)
    {
        var expected = Reference.Map(method, Reference.Of(f.Rest.Layers[0], 0), seed: 3);
        var actual = f.Raw(method, f.Rest, Utility.Rest);
        Assert.True(expected.Max(Math.Abs) > 0);
        double tol = method.StartsWith("eigen") ? 1e-7 : 1e-12;
        Assert.True(Reference.RelErr(actual, expected) < tol, $"{method}: relative error {Reference.RelErr(actual, expected):g3}");
    }

    [Fact]
    public void EigenCamSignCorrelatesWithTheChannelSum()
    {
        var s = Reference.Of(f.Rest.Layers[0], 0);
        var p = f.Raw("eigencam", f.Rest, Utility.Rest);
        var sum = Reference.ChannelSum(s.A);
        double mp = p.Average(), ms = sum.Average(), cov = 0;
        for (int q = 0; q < p.Length; q++) cov += (p[q] - mp) * (sum[q] - ms);
        Assert.True(cov > 0);
        Assert.True(Math.Abs(p.Sum()) < 1e-6 * p.Max(Math.Abs)); // centred columns: the projection sums to 0
    }

    [Fact]
    public void RandomIsSeededAndChangesWithTheSeed()
    {
        var m = new RandomCam();
        var a = m.Compute(f.Rest.Layers[0], f.Context(f.Rest, Utility.Rest)).ToArray();
        var b = m.Compute(f.Rest.Layers[0], f.Context(f.Rest, Utility.Rest)).ToArray();
        var c = m.Compute(f.Rest.Layers[0], f.Context(f.Rest, Utility.Rest) with { Seed = 4 }).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void AblationCamMatchesOneHeadEvaluationPerChannel()
    {
        var s = f.Rest.Layers[0];
        var r = Reference.Of(s, 0);
        int c = r.C, k = f.Rest.Logits.Shape[1], cls = f.Rest.Classes[0];
        var a = s.Activations.ToArray();
        Assert.Equal(0, a.Min()); // after ReLU6: ablation zeroes the channel
        double U(double[] logits)
        {
            double max = logits.Max(), lse = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
            return 2 * logits[cls] - lse;
        }
        double y = U(f.Rest.Logits.ToArray());
        var w = new double[c];
        var output = f.Model.OutputName;
        for (int ch = 0; ch < c; ch++)
        {
            var ablated = (double[])a.Clone();
            Array.Clear(ablated, ch * r.P, r.P);
            var t = NativeCam.Engine.Tensor.FromDoubles(ablated, s.Activations.Shape, s.Activations.DType);
            var logits = f.Model.Executor.Evaluate(new Dictionary<string, NativeCam.Engine.Tensor> { [MobileNetFixture.Layer] = t }, [output])[output].ToArray();
            Assert.Equal(k, logits.Length);
            w[ch] = (y - U(logits)) / y;
        }
        var expected = Reference.ChannelSum(Reference.Weighted(w, r.A));
        // batch 48 does not divide 1280: the last batch is padded
        var actual = new AblationCam().Compute(s, f.Context(f.Rest, Utility.Rest, batchSize: 48)).ToArray();
        Assert.True(Reference.RelErr(actual, expected) < 1e-4, $"relative error {Reference.RelErr(actual, expected):g3}");
    }
}
