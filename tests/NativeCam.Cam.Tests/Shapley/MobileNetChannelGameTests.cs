using NativeCam.Cam.Probe;
using NativeCam.Cam.Shapley;
using NativeCam.Cam.Tests.Methods;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Shapley;

/// <summary>MobileNetV2 (float64) at '627': a GAP→FC head, so with the logit utility the channel game is additive.</summary>
public class MobileNetChannelGameTests
{
    [Fact]
    public void AdditiveGameGivesTheGradCamContributionExactly()
    {
        var model = OnnxModel.Load(TestData.FloatModel, new OnnxImportOptions { DType = DType.Float64 });
        var x = Tensor.Uniform([1, 3, 224, 224], 12, -2, 2, DType.Float64);
        var probe = new LayerProbe(model);
        var r = probe.Run(x, [MobileNetFixture.Layer], Utility.Logit);
        var s = r.Layers[0];
        int c = s.Activations.Shape[1];
        var game = new ChannelGame(probe, s, 0, Utility.Logit, r.Classes[0], batchSize: 64);

        // v(N): the forward pass's logit; v(∅): the batch-1 head on zeros (the classifier's bias)
        var ends = game.Evaluate([Enumerable.Repeat(true, c).ToArray(), new bool[c]]);
        Assert.Equal(Utilities.PerImage(Utility.Logit, r.Logits, r.Classes)[0], ends[0], 9);
        var zeros = new Dictionary<string, Tensor> { [MobileNetFixture.Layer] = Tensor.Zeros(s.Activations.Shape, DType.Float64) };
        var head = model.Executor.Evaluate(zeros, [model.OutputName])[model.OutputName];
        Assert.Equal(Utilities.PerImage(Utility.Logit, head.Reshape(1, -1), r.Classes)[0], ends[1], 9);

        var e = PermutationSampler.Estimate(game.AsGame(), c, new ShapleyOptions { Samples = 2, Seed = 5, BatchSize = 64 });
        var gradCam = ChannelContributions.GradCam(s, 0);
        double scale = gradCam.Max(Math.Abs);
        Assert.True(scale > 1e-3);
        for (int k = 0; k < c; k++) Assert.True(Math.Abs(e.Values[k] - gradCam[k]) < 1e-9 * scale, $"channel {k}: {e.Values[k]} vs Σ A·g {gradCam[k]}");
        Assert.True(RankStatistics.Spearman(e.Values, gradCam) > 0.999999);
    }
}
