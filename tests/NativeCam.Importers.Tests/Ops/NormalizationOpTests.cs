using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;

namespace NativeCam.Importers.Tests.Ops;

public class NormalizationOpTests
{
    private static OnnxGraphBuilder BatchNorm(int opset, int[] x, int[] stat, params (string, object)[] attrs)
    {
        var b = new OnnxGraphBuilder(opset, opset >= 15 ? 8 : 7).Input("x", x)
            .Initializer("scale", OpTest.Data(21, stat), stat)
            .Initializer("bias", OpTest.Data(22, stat), stat)
            .Initializer("mean", OpTest.Data(23, stat), stat)
            .Initializer("var", OpTest.Data(24, stat).Select(v => v + 1.5f).ToArray(), stat);
        return b.Node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], attrs).Output("y");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(14)]
    [InlineData(15)]
    public void BatchNormOpsets(int opset)
    {
        int[] x = [2, 3, 4, 5];
        OpTest.Check(BatchNorm(opset, x, [3]), x);
        OpTest.Check(BatchNorm(opset, x, [3], ("epsilon", 0.5f)), x);
        OpTest.Check(BatchNorm(opset, [4, 3], [3]), [4, 3]);
        OpTest.Check(BatchNorm(opset, [2, 3, 7], [3], ("momentum", 0.8f)), [2, 3, 7]);
    }

    [Fact]
    public void BatchNormOpset7NonSpatial()
    {
        int[] x = [2, 3, 4, 5];
        OpTest.Check(BatchNorm(7, x, [3, 4, 5], ("spatial", 0)), x);
        OpTest.Fails<OnnxValidationException>(BatchNorm(7, x, [3], ("spatial", 0)), x);
    }

    [Fact]
    public void BatchNormTrainingIsUnsupported()
    {
        OpTest.Fails<OnnxUnsupportedException>(BatchNorm(14, [2, 3, 4, 5], [3], ("training_mode", 1)), [2, 3, 4, 5]);
        var b = new OnnxGraphBuilder(9).Input("x", 2, 3)
            .Initializer("s", OpTest.Data(1, 3), 3).Initializer("b", OpTest.Data(2, 3), 3)
            .Initializer("m", OpTest.Data(3, 3), 3).Initializer("v", OpTest.Data(4, 3).Select(v => v + 2).ToArray(), 3)
            .Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "rm"]).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(b, [2, 3]);
    }

    [Fact]
    public void BatchNormBadStatisticShapeFails() =>
        OpTest.Fails<OnnxValidationException>(BatchNorm(9, [2, 3, 4, 5], [4]), [2, 3, 4, 5]);

    private static OnnxGraphBuilder LayerNorm(int[] x, int[]? scale, int[]? bias, params (string, object)[] attrs)
    {
        var b = new OnnxGraphBuilder(17).Input("x", x);
        var inputs = new List<string> { "x" };
        if (scale is not null) { b.Initializer("scale", OpTest.Data(31, scale), scale); inputs.Add("scale"); }
        if (bias is not null) { b.Initializer("bias", OpTest.Data(32, bias), bias); inputs.Add("bias"); }
        return b.Node("LayerNormalization", [.. inputs], ["y"], attrs).Output("y");
    }

    [Fact]
    public void LayerNormDefaultsAndAxes()
    {
        int[] x = [2, 3, 4, 5];
        OpTest.Check(LayerNorm(x, [5], [5]), x);
        OpTest.Check(LayerNorm(x, [5], null), x);
        OpTest.Check(LayerNorm(x, [3, 4, 5], [3, 4, 5], ("axis", 1)), x);
        OpTest.Check(LayerNorm(x, [4, 5], [5], ("axis", -2), ("epsilon", 0.1f)), x);
        OpTest.Check(LayerNorm(x, [1, 5], [4, 1], ("axis", 2)), x);
    }

    [Fact]
    public void LayerNormExtraOutputsAndBadScaleFail()
    {
        var b = new OnnxGraphBuilder(17).Input("x", 2, 5).Initializer("s", OpTest.Data(1, 5), 5)
            .Node("LayerNormalization", ["x", "s"], ["y", "mean"]).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(b, [2, 5]);
        OpTest.Fails<OnnxValidationException>(LayerNorm([2, 3, 4, 5], [4], null), [2, 3, 4, 5]);
        OpTest.Fails<OnnxValidationException>(LayerNorm([2, 3, 4, 5], [5], null, ("axis", 4)), [2, 3, 4, 5]);
    }
}
