using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;

namespace NativeCam.Importers.Tests.BadInput;

/// <summary>Invalid Conv and pooling attributes: each is a validation error naming the node and the rule.</summary>
public class ConvPoolAttributeTests
{
    private static string Conv(string name, int[] wShape, int h = 8, params (string, object)[] attrs) =>
        new OnnxGraphBuilder(13).Input("x", 1, 3, h, h)
            .Initializer("w", new float[wShape.Aggregate(1, (a, b) => a * b)], wShape)
            .Node("Conv", ["x", "w"], ["y"], attrs).Output("y").Save(name);

    private static string Pool(string name, string op, int h = 8, params (string, object)[] attrs) =>
        new OnnxGraphBuilder(13).Input("x", 1, 3, h, h).Node(op, ["x"], ["y"], attrs).Output("y").Save(name);

    [Fact]
    public void ConvKernelShapeRankMismatch() =>
        BadModel.Fails<OnnxValidationException>(Conv("k1.onnx", [4, 3, 3, 3], 8, ("kernel_shape", new[] { 3 })), "node 0", "Conv", "kernel_shape [3]");

    [Fact]
    public void ConvKernelShapeDiffersFromWeights() =>
        BadModel.Fails<OnnxValidationException>(Conv("k2.onnx", [4, 3, 3, 3], 8, ("kernel_shape", new[] { 5, 5 })), "kernel_shape [5, 5]", "weights");

    [Fact]
    public void PoolKernelRank3() =>
        BadModel.Fails<OnnxValidationException>(Pool("pk.onnx", "MaxPool", 8, ("kernel_shape", new[] { 2, 2, 2 })), "MaxPool", "kernel_shape has rank 3");

    [Fact]
    public void PoolWithoutKernel() =>
        BadModel.Fails<OnnxValidationException>(Pool("nokernel.onnx", "AveragePool"), "AveragePool", "kernel_shape", "required");

    [Fact]
    public void StridesOfWrongRank() =>
        BadModel.Fails<OnnxValidationException>(Conv("s1.onnx", [4, 3, 3, 3], 8, ("strides", new[] { 2 })), "strides has 1 values");

    [Theory]
    [InlineData("Conv")]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    public void ZeroStride(string op)
    {
        var path = op == "Conv"
            ? Conv("zs.onnx", [4, 3, 3, 3], 8, ("strides", new[] { 0, 1 }))
            : Pool("zs.onnx", op, 8, ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 1, 0 }));
        BadModel.Fails<OnnxValidationException>(path, "node 0", op, "strides", "must be positive");
    }

    [Fact]
    public void ZeroDilation() =>
        BadModel.Fails<OnnxValidationException>(Conv("zd.onnx", [4, 3, 3, 3], 8, ("dilations", new[] { 1, 0 })), "dilations", "must be positive");

    [Theory]
    [InlineData("Conv")]
    [InlineData("MaxPool")]
    public void NegativePads(string op)
    {
        var path = op == "Conv"
            ? Conv("np.onnx", [4, 3, 3, 3], 8, ("pads", new[] { -1, 0, 0, 0 }))
            : Pool("np.onnx", op, 8, ("kernel_shape", new[] { 2, 2 }), ("pads", new[] { 0, 0, 0, -2 }));
        BadModel.Fails<OnnxValidationException>(path, "node 0", op, "pads", "must not be negative");
    }

    [Fact]
    public void PadsOfWrongLength() =>
        BadModel.Fails<OnnxValidationException>(Conv("pl.onnx", [4, 3, 3, 3], 8, ("pads", new[] { 1, 1 })), "pads has 2 values");

    [Fact]
    public void GroupNotDividingChannels() =>
        BadModel.Fails<OnnxValidationException>(Conv("g2.onnx", [4, 1, 3, 3], 8, ("group", 2)), "node 0", "Conv", "group 2", "does not divide");

    [Fact]
    public void GroupNotDividingOutputChannels() =>
        BadModel.Fails<OnnxValidationException>(Conv("g3.onnx", [4, 1, 3, 3], 8, ("group", 3)), "group 3", "does not divide");

    [Fact]
    public void ZeroGroup() =>
        BadModel.Fails<OnnxValidationException>(Conv("g0.onnx", [4, 3, 3, 3], 8, ("group", 0)), "group 0", "must be positive");

    [Fact]
    public void WeightsChannelsMismatch() =>
        BadModel.Fails<OnnxValidationException>(Conv("wc.onnx", [4, 2, 3, 3], 8), "input channels");

    [Fact]
    public void ConvKernelBiggerThanPaddedInput() =>
        BadModel.Fails<OnnxValidationException>(Conv("big.onnx", [4, 3, 7, 7], 4, ("pads", new[] { 1, 1, 1, 1 })), "node 0", "Conv", "does not fit", "4×4");

    [Fact]
    public void HugeConvOutputIsRejectedBeforeItIsComputed()
    {
        // pads of 30 000 on an 8×8 input: the output would hold 4·60 008² ≈ 1.4e10 elements
        long before = GC.GetAllocatedBytesForCurrentThread();
        BadModel.Fails<OnnxValidationException>(Conv("pads.onnx", [4, 3, 3, 3], 8, ("pads", new[] { 30000, 30000, 30000, 30000 })), "elements", "limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000);
    }

    [Theory]
    [InlineData("MaxPool")]
    [InlineData("AveragePool")]
    public void PoolKernelBiggerThanInput(string op) =>
        BadModel.Fails<OnnxValidationException>(Pool("bigpool.onnx", op, 4, ("kernel_shape", new[] { 5, 5 })), op, "does not fit");

    [Fact]
    public void DilatedKernelBiggerThanInput() =>
        BadModel.Fails<OnnxValidationException>(Conv("dil.onnx", [4, 3, 3, 3], 4, ("dilations", new[] { 2, 2 })), "does not fit");

    [Fact]
    public void BadAutoPad() =>
        BadModel.Fails<OnnxValidationException>(Conv("ap.onnx", [4, 3, 3, 3], 8, ("auto_pad", "SOMETIMES")), "auto_pad 'SOMETIMES'");

    [Fact]
    public void AttributeOfWrongType() =>
        BadModel.Fails<OnnxValidationException>(Conv("type.onnx", [4, 3, 3, 3], 8, ("strides", 2)), "attribute 'strides'", "expected Ints");

    [Fact]
    public void HugePadsFailOnTheLimit() =>
        // a 1×1 kernel over a 1×1 input padded by 100 gives 201×201 outputs per channel; the limit here is 10,000
        BadModel.Fails<OnnxValidationException>(Conv("hugepads.onnx", [4, 3, 1, 1], 1, ("pads", new[] { 100, 100, 100, 100 })),
            new OnnxImportOptions { MaxTensorElements = 10_000 }, "node 0", "Conv", "limit of 10000");

    [Theory]
    [InlineData("dilations", new long[] { 1, int.MaxValue })] // (kernel − 1) · dilation overflowed int and crashed the Conv kernel
    [InlineData("pads", new long[] { 0, 0, 0, 40_000 })]
    [InlineData("pads", new long[] { 1L << 40, 0, 0, 0 })]
    [InlineData("strides", new long[] { 1L << 20, 1 })]
    public void SpatialValuesBeyondTheImporterLimit(string attr, long[] values) =>
        BadModel.Fails<OnnxValidationException>(Conv($"spatial-{attr}.onnx", [4, 3, 3, 3], 8, (attr, values)),
            "node 0", "Conv", $"attribute '{attr}'", "32768");

    [Fact]
    public void PoolKernelBeyondTheImporterLimit() =>
        BadModel.Fails<OnnxValidationException>(Pool("spatial-pool.onnx", "MaxPool", 8, ("kernel_shape", new long[] { 1L << 30, 2 })),
            "MaxPool", "attribute 'kernel_shape'", "32768");

    [Fact]
    public void AttributeGivenTwice() =>
        BadModel.Fails<OnnxValidationException>(Conv("twice.onnx", [4, 3, 3, 3], 8, ("strides", new[] { 1, 1 }), ("strides", new[] { 2, 2 })),
            "node 0", "Conv", "attribute 'strides'", "twice");

    [Fact]
    public void ConvWeightsOfWrongRank()
    {
        var path = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8).Initializer("w", new float[12], 4, 3)
            .Node("Conv", ["x", "w"], ["y"]).Output("y").Save("wrank.onnx");
        BadModel.Fails<OnnxValidationException>(path, "Conv", "weights have rank 2");
    }

    [Fact]
    public void ConvBiasOfWrongShape()
    {
        var path = new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8).Initializer("w", new float[108], 4, 3, 3, 3).Initializer("b", new float[3], 3)
            .Node("Conv", ["x", "w", "b"], ["y"]).Output("y").Save("bias.onnx");
        BadModel.Fails<OnnxValidationException>(path, "Conv", "bias shape [3]");
    }
}
