using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;

namespace NativeCam.Importers.Tests.Ops;

/// <summary>Shape arithmetic and shape ops against ONNX Runtime: Shape, Gather, (Un)Squeeze, Concat, Reshape, Flatten, ConstantOfShape, Range.</summary>
public class ShapeOpTests
{
    internal static void Check(OnnxGraphBuilder b, params int[] shape) => OrtPeer.AssertMatches(b.Save(), shape);

    internal static void Fails<T>(OnnxGraphBuilder b, params int[] shape) where T : OnnxImportException =>
        Assert.Throws<T>(() => OnnxModel.Load(b.Save(), new OnnxImportOptions { InputShape = shape }));

    internal static TensorProto Int64Tensor(string name, long[] data, params int[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.AddRange(dims.Select(d => (long)d));
        t.Int64Data.AddRange(data);
        return t;
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(1L, 3L)]
    [InlineData(-3L, -1L)]
    [InlineData(2L, null)]
    [InlineData(null, -2L)]
    [InlineData(-10L, 10L)]
    [InlineData(3L, 1L)]
    public void ShapeStartEndFeedsReshape(long? start, long? end)
    {
        var attrs = new List<(string, object)>();
        if (start is { } s) attrs.Add(("start", s));
        if (end is { } e) attrs.Add(("end", e));
        // y = Reshape(x, Concat(Shape(x)[start:end], [-1]))
        Check(new OnnxGraphBuilder(15).Input("x", 2, 3, 4, 5)
            .Initializer("m1", [-1L], 1)
            .Node("Shape", ["x"], ["s"], attrs.ToArray())
            .Node("Concat", ["s", "m1"], ["t"], ("axis", 0))
            .Node("Reshape", ["x", "t"], ["y"])
            .Output("y"), 2, 3, 4, 5);
    }

    [Theory]
    [InlineData(new long[] { 2 }, new int[0], 0)]
    [InlineData(new long[] { -1 }, new int[0], 1)]
    [InlineData(new long[] { 0, 3, -2 }, new[] { 3 }, -1)]
    [InlineData(new long[] { 1, -3, 2, 2 }, new[] { 2, 2 }, 0)]
    [InlineData(new long[] { 4, 0, -5 }, new[] { 3, 1 }, 2)]
    public void GatherRunTimeData(long[] indices, int[] indexShape, int axis) =>
        Check(new OnnxGraphBuilder(13).Input("x", 3, 4, 5)
            .Initializer(Int64Tensor("i", indices, indexShape))
            .Node("Gather", ["x", "i"], ["y"], ("axis", axis))
            .Output("y"), 3, 4, 5);

    [Fact]
    public void GatherDefaultAxisIsZero() =>
        Check(new OnnxGraphBuilder(13).Input("x", 3, 4)
            .Initializer(Int64Tensor("i", [2, 0, -1], 3))
            .Node("Gather", ["x", "i"], ["y"])
            .Output("y"), 3, 4);

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void ExporterShapeArithmeticFolds(int opset)
    {
        // y = Reshape(x, [Shape(x)[0], Shape(x)[1] * Shape(x)[2], -1]) — Gather scalar → Unsqueeze → Concat
        var b = new OnnxGraphBuilder(opset).Input("x", 2, 3, 4, 5)
            .Initializer(Int64Tensor("i0", [0]))
            .Initializer(Int64Tensor("i1", [1]))
            .Initializer(Int64Tensor("i2", [-2]))
            .Initializer(Int64Tensor("m1", [-1], 1))
            .Node("Shape", ["x"], ["s"])
            .Node("Gather", ["s", "i0"], ["d0"], ("axis", 0))
            .Node("Gather", ["s", "i1"], ["d1"])
            .Node("Gather", ["s", "i2"], ["d2"])
            .Node("Mul", ["d1", "d2"], ["d12"]);
        if (opset < 13)
            b.Node("Unsqueeze", ["d0"], ["u0"], ("axes", new[] { 0 })).Node("Unsqueeze", ["d12"], ["u12"], ("axes", new[] { -1 }));
        else
            b.Initializer(Int64Tensor("ax", [0], 1)).Node("Unsqueeze", ["d0", "ax"], ["u0"]).Node("Unsqueeze", ["d12", "ax"], ["u12"]);
        Check(b.Node("Concat", ["u0", "u12", "m1"], ["t"], ("axis", 0))
            .Node("Reshape", ["x", "t"], ["y"])
            .Output("y"), 2, 3, 4, 5);
    }

    [Theory]
    [InlineData(11, new long[] { 0, 3 })]
    [InlineData(11, new long[] { -1, 1 })]
    [InlineData(13, new long[] { 0, 3 })]
    [InlineData(13, new long[] { 3, -4 })]
    public void Unsqueeze(int opset, long[] axes)
    {
        var b = new OnnxGraphBuilder(opset).Input("x", 2, 3);
        if (opset < 13) b.Node("Unsqueeze", ["x"], ["y"], ("axes", axes));
        else b.Initializer(Int64Tensor("a", axes, axes.Length)).Node("Unsqueeze", ["x", "a"], ["y"]);
        Check(b.Output("y"), 2, 3);
    }

    [Theory]
    [InlineData(11, new long[] { 0, 2 })]
    [InlineData(11, new long[] { -1 })]
    [InlineData(11, null)]
    [InlineData(13, new long[] { 2, -5 })]
    [InlineData(13, null)]
    public void Squeeze(int opset, long[]? axes)
    {
        var b = new OnnxGraphBuilder(opset).Input("x", 1, 3, 1, 4, 1);
        if (axes is null) b.Node("Squeeze", ["x"], ["y"]);
        else if (opset < 13) b.Node("Squeeze", ["x"], ["y"], ("axes", axes));
        else b.Initializer(Int64Tensor("a", axes, axes.Length)).Node("Squeeze", ["x", "a"], ["y"]);
        Check(b.Output("y"), 1, 3, 1, 4, 1);
    }

    [Fact]
    public void SqueezeOfANonUnitAxisFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(11).Input("x", 1, 3).Node("Squeeze", ["x"], ["y"], ("axes", new[] { 1 })).Output("y"), 1, 3);

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(0)]
    public void ConcatWithInitializers(int axis)
    {
        int[] other = axis == 0 ? [1, 3] : [2, 2];
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer("c", OrtPeer.RandomInput(other, 3), other)
            .Node("Concat", ["c", "x", "c", "x"], ["y"], ("axis", axis))
            .Output("y"), 2, 3);
    }

    [Fact]
    public void ConcatMismatchFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer("c", new float[6], 3, 2)
            .Node("Concat", ["x", "c"], ["y"], ("axis", 0)).Output("y"), 2, 3);

    [Theory]
    [InlineData(new long[] { 0, -1 }, 0)]
    [InlineData(new long[] { 0, 0, 20 }, 0)]
    [InlineData(new long[] { -1, 5 }, 0)]
    [InlineData(new long[] { 120 }, 0)]
    [InlineData(new long[] { 6, 4, 5 }, 1)]
    public void Reshape(long[] target, int allowZero)
    {
        var attrs = allowZero != 0 ? new (string, object)[] { ("allowzero", 1) } : [];
        Check(new OnnxGraphBuilder(14).Input("x", 2, 3, 4, 5)
            .Initializer(Int64Tensor("t", target, target.Length))
            .Node("Reshape", ["x", "t"], ["y"], attrs)
            .Output("y"), 2, 3, 4, 5);
    }

    [Fact]
    public void ReshapeAllowZeroKeepsZeroAsADim() =>
        // allowzero = 1: the 0 is a real dim, so 120 elements cannot become [0, 120]
        Fails<OnnxValidationException>(new OnnxGraphBuilder(14).Input("x", 2, 60)
            .Initializer(Int64Tensor("t", [0, 120], 2))
            .Node("Reshape", ["x", "t"], ["y"], ("allowzero", 1)).Output("y"), 2, 60);

    [Fact]
    public void ReshapeTwoInferredDimsFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(13).Input("x", 2, 6)
            .Initializer(Int64Tensor("t", [-1, -1], 2))
            .Node("Reshape", ["x", "t"], ["y"]).Output("y"), 2, 6);

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(-1)]
    public void Flatten(int? axis) =>
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3, 4, 5)
            .Node("Flatten", ["x"], ["y"], axis is { } a ? [("axis", a)] : [])
            .Output("y"), 2, 3, 4, 5);

    [Fact]
    public void ConstantOfShapeDefaultsToFloatZero() =>
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Node("Shape", ["x"], ["s"])
            .Node("ConstantOfShape", ["s"], ["z"])
            .Node("Add", ["x", "z"], ["y"])
            .Output("y"), 2, 3);

    [Fact]
    public void ConstantOfShapeWithValue() =>
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer(Int64Tensor("s", [4, 1, 3], 3))
            .Node("ConstantOfShape", ["s"], ["z"], ("value", OnnxGraphBuilder.FloatTensor("v", [2.5f], 1)))
            .Node("Mul", ["x", "z"], ["y"])
            .Output("y"), 2, 3);

    [Fact]
    public void ConstantOfShapeIntValueAsExpandShape() =>
        // an int64 ConstantOfShape of ones is an Expand target that keeps the shape
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer(Int64Tensor("r", [3], 1))
            .Node("ConstantOfShape", ["r"], ["ones"], ("value", Int64Tensor("v", [1], 1)))
            .Node("Expand", ["x", "ones"], ["y"])
            .Output("y"), 2, 3);

    [Theory]
    [InlineData(0L, 5L, 1L)]
    [InlineData(4L, -1L, -1L)]
    [InlineData(1L, 5L, 2L)]
    [InlineData(-5L, 0L, 3L)]
    public void IntRangeAsGatherIndices(long start, long limit, long delta) =>
        Check(new OnnxGraphBuilder(13).Input("x", 3, 5)
            .Initializer(Int64Tensor("a", [start])).Initializer(Int64Tensor("b", [limit])).Initializer(Int64Tensor("d", [delta]))
            .Node("Range", ["a", "b", "d"], ["i"])
            .Node("Gather", ["x", "i"], ["y"], ("axis", 1))
            .Output("y"), 3, 5);

    [Fact]
    public void FloatRangeBroadcastsOnLastAxis() =>
        Check(new OnnxGraphBuilder(13).Input("x", 3, 5)
            .Initializer("a", [0.5f]).Initializer("b", [3f]).Initializer("d", [0.5f])
            .Node("Range", ["a", "b", "d"], ["r"])
            .Node("Add", ["x", "r"], ["y"])
            .Output("y"), 3, 5);

    [Fact]
    public void RangeWithZeroDeltaFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(13).Input("x", 3, 5)
            .Initializer(Int64Tensor("a", [0])).Initializer(Int64Tensor("b", [5])).Initializer(Int64Tensor("d", [0]))
            .Node("Range", ["a", "b", "d"], ["i"])
            .Node("Gather", ["x", "i"], ["y"], ("axis", 1))
            .Output("y"), 3, 5);

    [Fact]
    public void RangeOfRunTimeDataIsUnsupported() =>
        Fails<OnnxUnsupportedException>(new OnnxGraphBuilder(13).Input("x", 1)
            .Initializer("b", [3f]).Initializer("d", [1f])
            .Node("Range", ["x", "b", "d"], ["y"])
            .Output("y"), 1);

    [Fact]
    public void DropoutTrainingWithRatioZeroIsIdentityWithMask()
    {
        // torchvision's Swin exports Dropout(ratio 0, training_mode true) with a mask output
        var training = new TensorProto { Name = "t", DataType = (int)TensorProto.Types.DataType.Bool };
        training.Int32Data.Add(1);
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer("r", [0f]).Initializer(training)
            .Node("Dropout", ["x", "r", "t"], ["d", "mask"])
            .Node("Relu", ["d"], ["y"])
            .Output("y"), 2, 3);
    }

    [Fact]
    public void DropoutTrainingWithNonZeroRatioIsUnsupported()
    {
        var training = new TensorProto { Name = "t", DataType = (int)TensorProto.Types.DataType.Bool };
        training.Int32Data.Add(1);
        Fails<OnnxUnsupportedException>(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer("r", [0.3f]).Initializer(training)
            .Node("Dropout", ["x", "r", "t"], ["y"])
            .Output("y"), 2, 3);
    }
}
