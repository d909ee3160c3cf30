using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Importers;

namespace NativeCam.Cam.Tests.Diagnostics;

public class ModelFlopsTests
{
    private static float[] Ones(int n) => Enumerable.Repeat(0.01f, n).ToArray();

    [Fact]
    public void CountsConvGemmAndMatMulFromShapes()
    {
        // x [1,3,16,16] → conv 3×3 stride 2 pad 1 (8 out) → depthwise 3×3 pad 1 → ReLU → GAP → flatten
        // → Gemm (transB, 10 out) → MatMul [10,5] → + (a MatMul of two constants, folded at import); plus a dead conv branch
        var path = new OnnxGraphBuilder()
            .Input("x", 1, 3, 16, 16)
            .Initializer("w1", Ones(8 * 3 * 3 * 3), 8, 3, 3, 3)
            .Initializer("w2", Ones(8 * 1 * 3 * 3), 8, 1, 3, 3)
            .Initializer("wd", Ones(4 * 3 * 1 * 1), 4, 3, 1, 1)
            .Initializer("b", Ones(10 * 8), 10, 8)
            .Initializer("m", Ones(10 * 5), 10, 5)
            .Initializer("c1", Ones(1 * 7), 1, 7)
            .Initializer("c2", Ones(7 * 5), 7, 5)
            .Node("Conv", ["x", "w1"], ["y1"], ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Conv", ["y1", "w2"], ["y2"], ("group", 8), ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Relu", ["y2"], ["y3"])
            .Node("GlobalAveragePool", ["y3"], ["y4"])
            .Node("Flatten", ["y4"], ["y5"])
            .Node("Gemm", ["y5", "b"], ["y6"], ("transB", 1))
            .Node("MatMul", ["y6", "m"], ["y7"])
            .Node("MatMul", ["c1", "c2"], ["k"])
            .Node("Add", ["y7", "k"], ["out"])
            .Node("Conv", ["x", "wd"], ["dead"])
            .Output("out")
            .Save();
        var model = OnnxModel.Load(path);

        // multiply-adds = output elements × dot-product length
        long conv1 = (1L * 8 * 8 * 8) * (3 * 3 * 3);
        long depthwise = (1L * 8 * 8 * 8) * (1 * 3 * 3);
        long gemm = (1L * 10) * 8;
        long matMul = (1L * 5) * 10;
        var layers = ModelFlops.Layers(model);
        Assert.Equal(["Conv", "Conv", "Gemm", "MatMul"], layers.Select(l => l.OpType));
        Assert.Equal([conv1, depthwise, gemm, matMul], layers.Select(l => l.MultiplyAdds));
        Assert.Equal(conv1 + depthwise + gemm + matMul, ModelFlops.MultiplyAdds(model));
        Assert.Equal(2.0 * (conv1 + depthwise + gemm + matMul), ModelFlops.Flops(model));
    }

    [Fact]
    public void GemmWithTransposedACountsItsRows()
    {
        // A [6, 1] transposed is 1×6; B [6, 4] → Y [1, 4]: 4 dot products of length 6
        var path = new OnnxGraphBuilder()
            .Input("x", 6, 1)
            .Initializer("b", Ones(6 * 4), 6, 4)
            .Node("Gemm", ["x", "b"], ["y"], ("transA", 1))
            .Output("y")
            .Save();
        var model = OnnxModel.Load(path, new OnnxImportOptions { InputShape = [6, 1] });
        Assert.Equal(4L * 6, ModelFlops.MultiplyAdds(model));
    }

    [Fact]
    public void EmbeddedInt8ModelCountsAsTheFloatModel()
    {
        // the same architecture: QLinearConv/QGemm layers of the int8 file against Conv/Gemm of the float one
        var int8 = ModelFlops.Layers(DefaultModel.Load());
        var fp = ModelFlops.Layers(OnnxModel.Load(TestData.FloatModel));
        Assert.Equal(fp.Count, int8.Count);
        Assert.Equal(fp.Select(l => l.MultiplyAdds), int8.Select(l => l.MultiplyAdds));
        Assert.Contains(int8, l => l.OpType == "QLinearConv");
        Assert.All(fp, l => Assert.True(l.MultiplyAdds > 0));
    }
}
