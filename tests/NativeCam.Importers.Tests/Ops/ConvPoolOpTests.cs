using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;

namespace NativeCam.Importers.Tests.Ops;

public class ConvPoolOpTests
{
    private static OnnxGraphBuilder Conv(int[] x, int[] w, bool bias, params (string, object)[] attrs)
    {
        var b = new OnnxGraphBuilder(13).Input("x", x).Initializer("w", OpTest.Data(11, w), w);
        if (bias) b.Initializer("b", OpTest.Data(12, w[0]), w[0]);
        return b.Node("Conv", bias ? ["x", "w", "b"] : ["x", "w"], ["y"], attrs).Output("y");
    }

    [Theory]
    [InlineData("SAME_UPPER", 1, 9)]
    [InlineData("SAME_UPPER", 2, 8)]
    [InlineData("SAME_UPPER", 2, 9)]
    [InlineData("SAME_LOWER", 2, 8)]
    [InlineData("SAME_LOWER", 3, 10)]
    [InlineData("VALID", 2, 9)]
    [InlineData("NOTSET", 1, 7)]
    public void ConvAutoPad(string autoPad, int stride, int size)
    {
        int[] x = [1, 3, size, size + 1];
        OpTest.Check(Conv(x, [4, 3, 3, 4], true, ("auto_pad", autoPad), ("strides", new[] { stride, stride })), x);
    }

    [Fact]
    public void ConvAsymmetricPadsStridesAndNoBias()
    {
        int[] x = [2, 3, 9, 8];
        OpTest.Check(Conv(x, [5, 3, 3, 3], false, ("pads", new[] { 0, 1, 2, 0 }), ("strides", new[] { 2, 1 })), x);
        OpTest.Check(Conv(x, [5, 3, 1, 1], false), x);
    }

    [Fact]
    public void ConvGroupsDepthwiseAndDilation()
    {
        int[] x = [1, 6, 10, 9];
        OpTest.Check(Conv(x, [4, 3, 3, 3], true, ("group", 2), ("pads", new[] { 1, 1, 1, 1 })), x);
        OpTest.Check(Conv(x, [6, 1, 3, 3], true, ("group", 6), ("pads", new[] { 1, 1, 1, 1 }), ("strides", new[] { 2, 2 })), x);
        OpTest.Check(Conv(x, [12, 1, 3, 3], false, ("group", 6)), x); // depth multiplier 2
        OpTest.Check(Conv(x, [4, 6, 3, 2], true, ("dilations", new[] { 2, 3 }), ("pads", new[] { 2, 1, 1, 2 })), x);
        // (dilation with auto_pad SAME is refused by ORT, so it has no oracle here)
    }

    [Fact]
    public void ConvWithKernelShapeAttribute() =>
        OpTest.Check(Conv([1, 2, 5, 5], [3, 2, 3, 3], true, ("kernel_shape", new[] { 3, 3 })), [1, 2, 5, 5]);

    [Fact]
    public void ConvBadGeometryFails()
    {
        OpTest.Fails<OnnxValidationException>(Conv([1, 6, 5, 5], [4, 4, 3, 3], true, ("group", 2)), [1, 6, 5, 5]);
        OpTest.Fails<OnnxValidationException>(Conv([1, 3, 5, 5], [4, 3, 3, 3], true, ("auto_pad", "SAME")), [1, 3, 5, 5]);
        OpTest.Fails<OnnxValidationException>(Conv([1, 3, 5, 5], [4, 3, 3, 3], true, ("kernel_shape", new[] { 2, 2 })), [1, 3, 5, 5]);
        OpTest.Fails<OnnxValidationException>(Conv([1, 3, 2, 2], [4, 3, 3, 3], true), [1, 3, 2, 2]);
        OpTest.Fails<OnnxValidationException>(Conv([1, 3, 5, 5], [4, 3, 3, 3], true, ("pads", new[] { 1, 1 })), [1, 3, 5, 5]);
    }

    // ------------------------------------------------------------------ pooling

    private static OnnxGraphBuilder Pool(string op, int opset, int[] x, params (string, object)[] attrs) =>
        OpTest.Graph(opset, x, op, ["x"], attrs);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void MaxPoolCeilModeAndPads(int ceil)
    {
        int[] x = [1, 2, 10, 11];
        OpTest.Check(Pool("MaxPool", 12, x, ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("ceil_mode", ceil)), x);
        OpTest.Check(Pool("MaxPool", 12, x, ("kernel_shape", new[] { 3, 2 }), ("strides", new[] { 2, 3 }), ("pads", new[] { 1, 0, 1, 1 }), ("ceil_mode", ceil)), x);
        OpTest.Check(Pool("MaxPool", 12, x, ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("dilations", new[] { 2, 2 }), ("ceil_mode", ceil)), x);
    }

    [Theory]
    [InlineData("SAME_UPPER")]
    [InlineData("SAME_LOWER")]
    [InlineData("VALID")]
    public void MaxPoolAutoPad(string autoPad)
    {
        int[] x = [1, 2, 9, 10];
        OpTest.Check(Pool("MaxPool", 12, x, ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("auto_pad", autoPad)), x);
    }

    [Fact]
    public void MaxPoolOneByOneAndOldOpset()
    {
        int[] x = [2, 3, 5, 4];
        OpTest.Check(Pool("MaxPool", 12, x, ("kernel_shape", new[] { 1, 1 })), x);
        OpTest.Check(Pool("MaxPool", 12, x, ("kernel_shape", new[] { 1, 1 }), ("strides", new[] { 2, 2 })), x);
        OpTest.Check(Pool("MaxPool", 7, x, ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 })), x);
    }

    [Fact]
    public void MaxPoolIndicesOutputIsUnsupported()
    {
        var b = new OnnxGraphBuilder(12).Input("x", 1, 1, 4, 4)
            .Node("MaxPool", ["x"], ["y", "i"], ("kernel_shape", new[] { 2, 2 })).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(b, [1, 1, 4, 4]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    public void AveragePoolCountIncludePadAndCeil(int includePad, int ceil)
    {
        int[] x = [1, 2, 10, 11];
        OpTest.Check(Pool("AveragePool", 12, x, ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }),
            ("pads", new[] { 1, 1, 1, 0 }), ("count_include_pad", includePad), ("ceil_mode", ceil)), x);
    }

    [Fact]
    public void AveragePoolDefaultsAndAutoPad()
    {
        int[] x = [2, 3, 7, 6];
        OpTest.Check(Pool("AveragePool", 7, x, ("kernel_shape", new[] { 2, 2 })), x);
        OpTest.Check(Pool("AveragePool", 12, x, ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("auto_pad", "SAME_UPPER")), x);
    }

    [Fact]
    public void GlobalPools()
    {
        int[] x = [2, 3, 5, 4];
        OpTest.Check(Pool("GlobalAveragePool", 13, x), x);
        OpTest.Check(Pool("GlobalMaxPool", 13, x), x);
        OpTest.Check(Pool("GlobalAveragePool", 13, [2, 3, 7]), [2, 3, 7]);
        OpTest.Check(Pool("GlobalMaxPool", 13, [2, 3, 7]), [2, 3, 7]);
        OpTest.Fails<OnnxValidationException>(Pool("GlobalAveragePool", 13, [2, 3]), [2, 3]);
    }

    // ------------------------------------------------------------------ MatMul, Gemm

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 5, 6 })]
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 3, 5, 2 })]
    [InlineData(new[] { 2, 1, 4, 5 }, new[] { 3, 5, 2 })] // batch dims broadcast
    [InlineData(new[] { 2, 3, 4, 5 }, new[] { 5 })] // 1-D right operand
    [InlineData(new[] { 5 }, new[] { 2, 5, 3 })] // 1-D left operand
    [InlineData(new[] { 5 }, new[] { 5 })] // dot product
    [InlineData(new[] { 4, 5 }, new[] { 5, 3 })]
    public void MatMulWithConstantRight(int[] x, int[] w)
    {
        var b = new OnnxGraphBuilder(13).Input("x", x).Initializer("w", OpTest.Data(13, w), w)
            .Node("MatMul", ["x", "w"], ["y"]).Output("y");
        OpTest.Check(b, x);
    }

    [Fact]
    public void MatMulRunTimeBothSidesAndConstantLeft()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 2, 4, 4).Node("MatMul", ["x", "x"], ["y"]).Output("y");
        OpTest.Check(b, [2, 4, 4]);
        var c = new OnnxGraphBuilder(13).Input("x", 2, 4, 3).Initializer("w", OpTest.Data(14, 5, 4), 5, 4)
            .Node("MatMul", ["w", "x"], ["y"]).Output("y");
        OpTest.Check(c, [2, 4, 3]);
    }

    [Fact]
    public void MatMulMismatchFails()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 2, 4, 5).Initializer("w", OpTest.Data(13, 4, 3), 4, 3)
            .Node("MatMul", ["x", "w"], ["y"]).Output("y");
        OpTest.Fails<OnnxValidationException>(b, [2, 4, 5]);
        var d = new OnnxGraphBuilder(13).Input("x", 2, 4, 5).Initializer("w", OpTest.Data(13, 3, 5, 2), 3, 5, 2)
            .Node("MatMul", ["x", "w"], ["y"]).Output("y");
        OpTest.Fails<OnnxValidationException>(d, [2, 4, 5]);
    }

    [Theory]
    [InlineData(0, 0, 1f, 1f, new[] { 6 })]
    [InlineData(0, 1, 1f, 1f, new[] { 1, 6 })]
    [InlineData(1, 0, 0.5f, 2f, new int[0])]
    [InlineData(1, 1, 1f, 0.3f, new[] { 4, 1 })]
    [InlineData(0, 1, 2f, -1f, new[] { 4, 6 })]
    [InlineData(0, 1, 1.5f, 1f, null)]
    [InlineData(0, 0, 1f, 0f, new[] { 6 })]
    public void Gemm(int transA, int transB, float alpha, float beta, int[]? cShape)
    {
        int m = 4, k = 5, n = 6;
        int[] a = transA == 1 ? [k, m] : [m, k];
        int[] w = transB == 1 ? [n, k] : [k, n];
        var b = new OnnxGraphBuilder(13).Input("x", a).Initializer("w", OpTest.Data(15, w), w);
        if (cShape is not null) b.Initializer("c", OpTest.Data(16, cShape), cShape);
        var attrs = new List<(string, object)> { ("transA", transA), ("transB", transB) };
        if (alpha != 1f) attrs.Add(("alpha", alpha));
        if (beta != 1f) attrs.Add(("beta", beta));
        b.Node("Gemm", cShape is null ? ["x", "w"] : ["x", "w", "c"], ["y"], [.. attrs]).Output("y");
        OpTest.Check(b, a);
    }

    [Fact]
    public void GemmBadShapesFail()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 4, 5).Initializer("w", OpTest.Data(15, 4, 6), 4, 6)
            .Node("Gemm", ["x", "w"], ["y"]).Output("y");
        OpTest.Fails<OnnxValidationException>(b, [4, 5]);
        var c = new OnnxGraphBuilder(13).Input("x", 4, 5).Initializer("w", OpTest.Data(15, 5, 6), 5, 6)
            .Initializer("c", OpTest.Data(16, 3), 3).Node("Gemm", ["x", "w", "c"], ["y"]).Output("y");
        OpTest.Fails<OnnxValidationException>(c, [4, 5]);
    }
}
