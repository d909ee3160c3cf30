using NativeCam.Cam.Probe;
using NativeCam.Cam.Tests.Methods;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Probe;

/// <summary>
/// The small CNN (a SiLU and a side input in the head) in float64, batch 2: g and H·A at "t" against finite
/// differences of the utility, for the logit (curvature only from SiLU) and ReST; and the head evaluated on a
/// batch of activations against one evaluation per variant.
/// </summary>
public class SiluHeadDerivativeTests
{
    private static readonly Model Model = SmallCnn.Load(new OnnxImportOptions { DType = DType.Float64, InputShape = [2, 3, 16, 16] });
    private static readonly Tensor X = Tensor.Uniform([2, 3, 16, 16], 4, -2, 2, DType.Float64);

    [Theory]
    [InlineData("logit")]
    [InlineData("rest")]
    public void GradientAndHvpMatchFiniteDifferences(string utility)
    {
        var r = new LayerProbe(Model).Run(X, [SmallCnn.Target], Utilities.Parse(utility));
        var s = r.Layers[0];
        Assert.Equal(["skip"], s.SideInputs.Keys);
        var fd = new Derivatives(Model, SmallCnn.Target, s.SideInputs, r.Classes, utility);
        var a = s.Activations.ToArray();
        var shape = s.Activations.Shape;
        var g = s.Gradients.ToArray();
        var ha = s.HessianTimesActivations!.ToArray();
        Assert.True(ha.Max(Math.Abs) > 1e-4); // SiLU curves even under the logit
        for (int seed = 0; seed < 3; seed++)
        {
            var v = Derivatives.Random(a.Length, seed);
            double d1 = fd.Directional(a, shape, v, 1e-5), e1 = Derivatives.Dot(g, v);
            Assert.True(Math.Abs(d1 - e1) < 1e-8 * (1 + Math.Abs(e1)), $"g·v: {d1} vs {e1}");
            double d2 = fd.Second(a, shape, v, a, 1e-4), e2 = Derivatives.Dot(ha, v);
            Assert.True(Math.Abs(d2 - e2) < 1e-5 * (1 + Math.Abs(e2)), $"vᵀHA: {d2} vs {e2}");
        }
        for (int i = 0; i < a.Length; i += 97)
        {
            var e = Derivatives.Unit(a.Length, i);
            Assert.True(Math.Abs(fd.Directional(a, shape, e, 1e-5) - g[i]) < 1e-8, $"g[{i}]");
            Assert.True(Math.Abs(fd.Second(a, shape, e, a, 1e-4) - ha[i]) < 1e-5, $"(H·A)[{i}]");
        }
    }

    [Fact]
    public void HeadOnABatchOfActivationsMatchesOneEvaluationEach()
    {
        var probe = new LayerProbe(Model);
        var r = probe.Run(X, [SmallCnn.Target], Utility.Rest);
        var s = r.Layers[0];
        int c = s.Activations.Shape[1], p = 64;
        var a1 = s.Activations.Slice([1], [2], [0]).ToArray();
        var variants = new double[3][];
        for (int b = 0; b < 3; b++)
        {
            variants[b] = (double[])a1.Clone();
            if (b > 0) Array.Fill(variants[b], -5.0 * b, b * p, p);
        }
        var logits = probe.EvaluateHead(s, 1, Tensor.FromDoubles(variants.SelectMany(v => v).ToArray(), [3, c, 8, 8], DType.Float64)).ToArray();
        // one at a time: the batch-2 model with image 1's side inputs in both rows
        var skip = s.SideInputs["skip"].Slice([1], [2], [0]);
        var sides = new Dictionary<string, Tensor> { ["skip"] = Tensor.Concat([skip, skip], 0) };
        for (int b = 0; b < 3; b++)
        {
            var one = Tensor.FromDoubles(variants[b].Concat(variants[b]).ToArray(), [2, c, 8, 8], DType.Float64);
            var expected = Model.Evaluate(new Dictionary<string, Tensor>(sides) { [SmallCnn.Target] = one }, [Model.OutputName])[Model.OutputName].ToArray();
            for (int k = 0; k < 4; k++) Assert.Equal(expected[k], logits[b * 4 + k], 12);
        }
        // the unablated variant reproduces the forward pass's logits of image 1
        var forward = r.Logits.ToArray();
        for (int k = 0; k < 4; k++) Assert.Equal(forward[4 + k], logits[k], 12);
    }
}
