using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Probe;

/// <summary>
/// The probe on an optimised model (fused convolutions) against the same model imported as it is, in float64:
/// the same candidate layers, and the same logits, g, H·A and head evaluations at the automatic layer and at a
/// convolution output that fusion hides until a request keeps it.
/// </summary>
public class OptimizedProbeTests
{
    [Theory]
    [InlineData("resnet18.onnx")]
    [InlineData("mobilenet_v2.onnx")]
    [InlineData("efficientnet_b0.onnx")]
    public void SameLayersAndSignalsAsTheUnoptimisedGraph(string file)
    {
        var path = RepoPaths.Fixture(file);
        var o = new OnnxImportOptions { DType = DType.Float64 };
        var plain = OnnxModel.Load(path, o with { Optimize = false });
        var optimized = OnnxModel.Load(path, o);
        Assert.True(optimized.Graph.Nodes.Count < plain.Graph.Nodes.Count);

        var expected = LayerSelection.Candidates(plain);
        var actual = LayerSelection.Candidates(optimized);
        Assert.Equal(expected.Select(c => (c.Name, c.Op, string.Join(",", c.Shape))), actual.Select(c => (c.Name, c.Op, string.Join(",", c.Shape))));
        Assert.Equal(LayerSelection.Auto(plain), LayerSelection.Auto(optimized));

        var hidden = actual.Last(c => c.Op == "Conv" && c.Shape is [_, _, > 1, > 1] && !optimized.Graph.Defines(c.Name)).Name;
        var x = Tensor.Uniform(plain.InputShape, 9, -1, 1, DType.Float64);
        foreach (var layer in new[] { LayerSelection.Auto(plain), hidden })
        {
            var a = new LayerProbe(plain).Run(x, [layer], Utility.Logit);
            var probe = new LayerProbe(optimized);
            var b = probe.Run(x, [layer], Utility.Logit);
            Assert.Equal(a.Classes, b.Classes);
            Close(a.Logits, b.Logits, $"{layer} logits");
            Close(a.Layers[0].Activations, b.Layers[0].Activations, $"{layer} A");
            Close(a.Layers[0].Gradients, b.Layers[0].Gradients, $"{layer} g");
            Close(a.Layers[0].HessianTimesActivations!, b.Layers[0].HessianTimesActivations!, $"{layer} H·A");
            // the head on a batch of scaled activations (the ShapleyCAM sweep's path)
            var batch = Tensor.FromDoubles([.. a.Layers[0].Activations.ToArray(), .. a.Layers[0].Activations.ToArray().Select(v => 0.5 * v)],
                [2, .. a.Layers[0].Activations.Shape[1..]], DType.Float64);
            Close(new LayerProbe(plain).EvaluateHead(a.Layers[0], 0, batch), probe.EvaluateHead(b.Layers[0], 0, batch), $"{layer} head");
        }
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        var e = expected.ToArray();
        var a = actual.ToArray();
        Assert.Equal(e.Length, a.Length);
        double scale = Math.Max(e.Max(Math.Abs), 1e-300);
        double worst = e.Zip(a, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(worst <= 1e-9 * scale, $"{what}: max |Δ| {worst:E3} vs max {scale:E3}");
    }
}
