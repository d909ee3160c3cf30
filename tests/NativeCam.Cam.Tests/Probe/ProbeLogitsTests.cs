using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;

namespace NativeCam.Cam.Tests.Probe;

/// <summary>
/// The probe's forward pass stops at the target layers and takes the logits from its head sweep: they must be the
/// model's own forward logits, the classes their top-1 (or the classes asked for), for every image of a batch and
/// with several target layers.
/// </summary>
public class ProbeLogitsTests
{
    [Theory]
    [InlineData("resnet18.onnx")]
    [InlineData("mobilenet_v2.onnx")]
    [InlineData("efficientnet_b0.onnx")]
    public void LogitsAndClassesAreTheForwardPasses(string file)
    {
        var model = OnnxModel.Load(RepoPaths.Fixture(file)).ForBatch(2);
        var x = Tensor.Uniform(model.InputShape, 3, -2, 2);
        var expected = LayerProbe.Logits(model.Run(x)).ToArray();
        var candidates = LayerSelection.Candidates(model);
        string[] layers = [LayerSelection.Auto(model), candidates[candidates.Count / 2].Name];
        var probe = new LayerProbe(model);

        var r = probe.Run(x, layers, Utility.Rest);
        var actual = r.Logits.ToArray();
        double scale = expected.Max(Math.Abs);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-5 * scale, "the probe's logits differ from the forward pass's");
        Assert.Equal(LayerProbe.TopOne(LayerProbe.Logits(model.Run(x))), r.Classes);

        var asked = probe.Run(x, layers, Utility.Rest, classes: [7]);
        Assert.Equal([7, 7], asked.Classes);
        Assert.Equal(actual, asked.Logits.ToArray());
    }
}
