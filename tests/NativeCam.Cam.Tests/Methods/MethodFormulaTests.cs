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
    public void AblationCamMatchesTheGapFcClosedForm()
    {
        // the head from '627' is GAP → Flatten → Gemm (o = W·mean_ij A + b, W [K, C]): zeroing channel k gives
        // o − W[:, k]·mean_ij A_k
        var gemm = f.Model.Graph.Nodes.Single(n => n.OpType == "Gemm");
        var weight = f.Model.Graph.Constants[gemm.Inputs[1]];
        int k = weight.Shape[0], cls = f.Rest.Classes[0];
        var wv = weight.ToArray();
        var s = f.Rest.Layers[0];
        var r = Reference.Of(s, 0);
        Assert.Equal(r.C, weight.Shape[1]);
        Assert.Equal(0, s.Activations.ToArray().Min()); // after ReLU6: ablation zeroes the channel
        double U(double[] logits)
        {
            double max = logits.Max(), lse = max + Math.Log(logits.Sum(v => Math.Exp(v - max)));
            return 2 * logits[cls] - lse;
        }
        var o = f.Rest.Logits.ToArray();
        double y = U(o);
        var w = new double[r.C];
        for (int ch = 0; ch < r.C; ch++)
        {
            double mean = r.A[ch].Average();
            w[ch] = (y - U(o.Select((v, j) => v - wv[j * r.C + ch] * mean).ToArray())) / y;
        }
        var expected = Reference.ChannelSum(Reference.Weighted(w, r.A));
        // batch 7 does not divide 1280: the last batch is padded
        var actual = new AblationCam().Compute(s, f.Context(f.Rest, Utility.Rest, batchSize: 7)).ToArray();
        Assert.True(Reference.RelErr(actual, expected) < 1e-4, $"relative error {Reference.RelErr(actual, expected):g3}");
    }
}
