using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;
using DT = Onnx.TensorProto.Types.DataType;

namespace NativeCam.Importers.Tests.Ops;

/// <summary>Helpers for the per-op tests: one-node graphs, typed initializers, expected failures.</summary>
internal static class OpTest
{
    /// <summary>A graph x → op → y with extra initializers added by <paramref name="setup"/>.</summary>
    public static OnnxGraphBuilder Graph(int opset, int[] shape, string op, string[] inputs, params (string, object)[] attrs)
    {
        var b = new OnnxGraphBuilder(opset, opset >= 19 ? 9 : 8).Input("x", shape);
        return b.Node(op, inputs, ["y"], attrs).Output("y");
    }

    /// <summary>Compares with ORT.</summary>
    public static void Check(OnnxGraphBuilder b, int[] shape, double lo = -1, double hi = 1, double rtol = 1e-4, double atol = 1e-5) =>
        OrtPeer.AssertMatches(b.Save(), shape, rtol, atol, seed: 3, lo: lo, hi: hi);

    /// <summary>Asserts the import fails with <typeparamref name="T"/>; returns it.</summary>
    public static T Fails<T>(OnnxGraphBuilder b, int[] shape) where T : OnnxImportException
    {
        var path = b.Save();
        return Assert.Throws<T>(() => OnnxModel.Load(path, new OnnxImportOptions { InputShape = shape }));
    }

    /// <summary>An integer or boolean initializer of the given type.</summary>
    public static TensorProto Typed(string name, DT type, long[] data, params int[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        t.Dims.AddRange(dims.Select(d => (long)d));
        if (type is DT.Int64) t.Int64Data.AddRange(data);
        else t.Int32Data.AddRange(data.Select(v => (int)v));
        return t;
    }

    /// <summary>Seeded float data.</summary>
    public static float[] Data(int seed, params int[] dims) => OrtPeer.RandomInput(dims, seed);
}

public class ElementwiseOpTests
{
    private static readonly int[] X = [2, 3, 4, 5];

    // ------------------------------------------------------------------ arithmetic with broadcasting

    [Theory]
    [InlineData("Add", new[] { 5 })]
    [InlineData("Sub", new[] { 4, 1 })]
    [InlineData("Mul", new int[0])]
    [InlineData("Div", new[] { 1, 3, 1, 1 })]
    [InlineData("Add", new[] { 2, 1, 1, 1, 1 })] // rank grows
    [InlineData("Mul", new[] { 2, 3, 4, 5 })]
    public void BinaryWithConstantBroadcasts(string op, int[] constShape)
    {
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Initializer("c", OpTest.Data(5, constShape).Select(v => v + 2f).ToArray(), constShape)
            .Node(op, ["x", "c"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }

    [Theory]
    [InlineData("Sub")]
    [InlineData("Div")]
    public void ConstantOnTheLeft(string op)
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("c", OpTest.Data(6, 3, 1, 5), 3, 1, 5)
            .Node(op, ["c", "x"], ["y"]).Output("y");
        OpTest.Check(b, X, lo: 0.5, hi: 2);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Mul")]
    [InlineData("Div")]
    public void BothRunTimeWithRankMismatch(string op)
    {
        // x [2,3,4,5] op ReduceMean(x, axes [0], keepdims 0) [3,4,5]
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Node("ReduceMean", ["x"], ["m"], ("axes", new[] { 0 }), ("keepdims", 0))
            .Node(op, ["x", "m"], ["y"]).Output("y");
        OpTest.Check(b, X, lo: 0.5, hi: 2);
    }

    [Fact]
    public void NonBroadcastableShapesFail()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("c", OpTest.Data(1, 4), 4).Node("Add", ["x", "c"], ["y"]).Output("y");
        Assert.Contains("do not broadcast", OpTest.Fails<OnnxValidationException>(b, X).Message);
    }

    [Fact]
    public void IntegerDivisionFoldsWithTruncation()
    {
        // Div(int64) truncates toward zero; the result is cast to float and scales x
        var b = new OnnxGraphBuilder(13).Input("x", 1, 4)
            .Initializer("a", [7L, -7L, 9L, -1L], 4).Initializer("d", [2L], 1)
            .Node("Div", ["a", "d"], ["q"])
            .Node("Cast", ["q"], ["qf"], ("to", (int)DT.Float))
            .Node("Mul", ["x", "qf"], ["y"]).Output("y");
        OpTest.Check(b, [1, 4]);
    }

    // ------------------------------------------------------------------ Pow

    [Theory]
    [InlineData(2f, -1, 1)]
    [InlineData(3f, -1, 1)]
    [InlineData(0.5f, 0.1, 2)]
    [InlineData(-1.5f, 0.1, 2)]
    [InlineData(0f, -1, 1)]
    public void PowWithScalarExponent(float p, double lo, double hi)
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("p", [p]).Node("Pow", ["x", "p"], ["y"]).Output("y");
        OpTest.Check(b, X, lo, hi);
    }

    [Fact]
    public void PowWithRepeatedExponentBroadcasts()
    {
        // exponent [1, 1, 1, 1, 1] of one value: the output rank grows to 5
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("p", [2f, 2f], 2, 1, 1, 1, 1).Node("Pow", ["x", "p"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }

    [Fact]
    public void PowWithKnownPositiveBase()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("b", [2f, 0.5f, 3f, 1f, 10f], 5).Node("Pow", ["b", "x"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }

    [Fact]
    public void PowWithRunTimeExponentIsUnsupported()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Node("Pow", ["x", "x"], ["y"]).Output("y");
        Assert.Contains("run-time exponent", OpTest.Fails<OnnxUnsupportedException>(b, X).Message);
        var c = new OnnxGraphBuilder(13).Input("x", X).Initializer("p", [1f, 2f, 3f, 4f, 5f], 5).Node("Pow", ["x", "p"], ["y"]).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(c, X);
    }

    // ------------------------------------------------------------------ Identity, Dropout

    [Fact]
    public void IdentityAndDropoutAreTheIdentity()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Initializer("r", [0.3f]).Initializer(OpTest.Typed("t", DT.Bool, [0]))
            .Node("Identity", ["x"], ["i"])
            .Node("Dropout", ["i", "r", "t"], ["d"])
            .Node("Dropout", ["d"], ["y"]).Output("y");
        OpTest.Check(b, X);
        var old = new OnnxGraphBuilder(10).Input("x", X).Node("Dropout", ["x"], ["y"], ("ratio", 0.2f)).Output("y");
        OpTest.Check(old, X);
    }

    [Fact]
    public void DropoutInTrainingModeIsTheIdentityOnlyWithRatioZero()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Initializer("r", [0f]).Initializer(OpTest.Typed("t", DT.Bool, [1]))
            .Node("Dropout", ["x", "r", "t"], ["y"]).Output("y");
        OpTest.Check(b, X);
        var random = new OnnxGraphBuilder(13).Input("x", X)
            .Initializer("r", [0.5f]).Initializer(OpTest.Typed("t", DT.Bool, [1]))
            .Node("Dropout", ["x", "r", "t"], ["y"]).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(random, X);
        // at inference the optional mask output keeps everything
        var mask = new OnnxGraphBuilder(13).Input("x", X).Node("Dropout", ["x"], ["y", "m"]).Output("y");
        OpTest.Check(mask, X);
    }

    // ------------------------------------------------------------------ Equal, Not, Where, Mod, Cast

    [Fact]
    public void EqualNotWhereFoldAndSelectAtRunTime()
    {
        // cond = Not(Equal(a, b)) is known at import; Where picks x or a constant at run time
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Initializer("a", [1L, 2L, 3L, 4L, 5L], 5).Initializer("b", [1L, 0L, 3L, 0L, 5L], 5)
            .Initializer("fill", [-4f])
            .Node("Equal", ["a", "b"], ["eq"])
            .Node("Not", ["eq"], ["ne"])
            .Node("Where", ["ne", "x", "fill"], ["w"])
            .Node("Where", ["eq", "w", "x"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }

    [Fact]
    public void EqualOfFloatsFolds()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 1, 3)
            .Initializer("a", [1f, 2f, 3f], 3).Initializer("b", [1f], 1).Initializer("z", [0f])
            .Node("Equal", ["a", "b"], ["eq"])
            .Node("Where", ["eq", "z", "x"], ["y"]).Output("y");
        OpTest.Check(b, [1, 3]);
    }

    [Fact]
    public void WhereWithBothBranchesAtRunTimeAndBroadcastCond()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Initializer(OpTest.Typed("c", DT.Bool, [1, 0, 0, 1], 4, 1))
            .Node("Neg", ["x"], ["n"])
            .Node("Where", ["c", "x", "n"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }

    [Fact]
    public void EqualOnRunTimeDataIsUnsupported()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("z", [0f])
            .Node("Equal", ["x", "z"], ["e"]).Node("Where", ["e", "z", "x"], ["y"]).Output("y");
        Assert.Contains("run-time", OpTest.Fails<OnnxUnsupportedException>(b, X).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void IntegerModFolds(int fmod)
    {
        var b = new OnnxGraphBuilder(13).Input("x", 1, 6)
            .Initializer("a", [-7L, 7L, -7L, 7L, 6L, -6L], 6).Initializer("d", [3L, -3L, -3L, 3L, 4L, 4L], 6)
            .Node("Mod", ["a", "d"], ["m"], ("fmod", fmod))
            .Node("Cast", ["m"], ["mf"], ("to", (int)DT.Float))
            .Node("Add", ["x", "mf"], ["y"]).Output("y");
        OpTest.Check(b, [1, 6]);
    }

    [Fact]
    public void FloatModFoldsAndRunTimeModIsUnsupported()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 1, 4)
            .Initializer("a", [-7.5f, 7.5f, 5f, -1f], 4).Initializer("d", [2f], 1)
            .Node("Mod", ["a", "d"], ["m"], ("fmod", 1))
            .Node("Add", ["x", "m"], ["y"]).Output("y");
        OpTest.Check(b, [1, 4]);
        var r = new OnnxGraphBuilder(13).Input("x", 1, 4).Initializer("d", [2f], 1)
            .Node("Mod", ["x", "d"], ["y"], ("fmod", 1)).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(r, [1, 4]);
    }

    [Fact]
    public void CastOfKnownFloatsToIntsTruncates()
    {
        var b = new OnnxGraphBuilder(13).Input("x", 1, 5)
            .Initializer("a", [1.7f, -1.7f, 2.5f, -0.2f, 300.9f], 5)
            .Node("Cast", ["a"], ["i"], ("to", (int)DT.Int32))
            .Node("Cast", ["i"], ["f"], ("to", (int)DT.Float))
            .Node("Mul", ["x", "f"], ["y"]).Output("y");
        OpTest.Check(b, [1, 5]);
    }

    [Fact]
    public void CastAtRunTimeToFloatIsTheIdentityAndToIntIsUnsupported()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Node("Cast", ["x"], ["d"], ("to", (int)DT.Double))
            .Node("Cast", ["d"], ["y"], ("to", (int)DT.Float)).Output("y");
        OpTest.Check(b, X);
        var i = new OnnxGraphBuilder(13).Input("x", X).Node("Cast", ["x"], ["y"], ("to", (int)DT.Int64)).Output("y");
        Assert.Contains("Cast of run-time data", OpTest.Fails<OnnxUnsupportedException>(i, X).Message);
    }
}

public class ActivationOpTests
{
    private static readonly int[] X = [2, 3, 4, 5];

    [Theory]
    [InlineData("Relu", -1, 1)]
    [InlineData("Sigmoid", -6, 6)]
    [InlineData("Tanh", -3, 3)]
    [InlineData("Erf", -3, 3)]
    [InlineData("Exp", -3, 3)]
    [InlineData("Log", 0.01, 5)]
    [InlineData("Sqrt", 0, 5)]
    [InlineData("HardSwish", -4, 4)]
    [InlineData("HardSigmoid", -4, 4)]
    [InlineData("LeakyRelu", -1, 1)]
    [InlineData("Neg", -1, 1)]
    [InlineData("Abs", -1, 1)]
    [InlineData("Reciprocal", 0.5, 3)]
    public void UnaryWithDefaults(string op, double lo, double hi) =>
        OpTest.Check(OpTest.Graph(14, X, op, ["x"]), X, lo, hi);

    [Fact]
    public void LeakyReluAndHardSigmoidAttributes()
    {
        OpTest.Check(OpTest.Graph(13, X, "LeakyRelu", ["x"], ("alpha", 0.3f)), X);
        OpTest.Check(OpTest.Graph(13, X, "HardSigmoid", ["x"], ("alpha", 0.5f), ("beta", 0.25f)), X, -3, 3);
    }

    [Theory]
    [InlineData(new[] { 3, 1, 1 })]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 5 })]
    [InlineData(new[] { 4, 5 })]
    public void PReluSlopeBroadcasts(int[] slopeShape)
    {
        var b = new OnnxGraphBuilder(16).Input("x", X).Initializer("s", OpTest.Data(9, slopeShape), slopeShape)
            .Node("PRelu", ["x", "s"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }

    [Fact]
    public void PReluSlopeThatWouldGrowTheOutputFails()
    {
        var b = new OnnxGraphBuilder(16).Input("x", 3, 4).Initializer("s", OpTest.Data(9, 2, 1, 1), 2, 1, 1)
            .Node("PRelu", ["x", "s"], ["y"]).Output("y");
        OpTest.Fails<OnnxValidationException>(b, [3, 4]);
    }

    [Fact]
    public void ClipAttributeForm()
    {
        OpTest.Check(OpTest.Graph(10, X, "Clip", ["x"], ("min", -0.3f), ("max", 0.4f)), X);
        OpTest.Check(OpTest.Graph(10, X, "Clip", ["x"], ("min", -0.3f)), X);
        OpTest.Check(OpTest.Graph(10, X, "Clip", ["x"], ("max", 0.2f)), X);
        OpTest.Check(OpTest.Graph(10, X, "Clip", ["x"]), X);
    }

    [Theory]
    [InlineData(11, true, true)]
    [InlineData(12, true, false)]
    [InlineData(13, false, true)]
    [InlineData(13, false, false)]
    public void ClipInputForm(int opset, bool min, bool max)
    {
        var b = new OnnxGraphBuilder(opset).Input("x", X).Initializer("lo", [-0.25f]).Initializer("hi", [0.5f]);
        string[] inputs = (min, max) switch
        {
            (true, true) => ["x", "lo", "hi"],
            (true, false) => ["x", "lo"],
            (false, true) => ["x", "", "hi"],
            _ => ["x"],
        };
        OpTest.Check(b.Node("Clip", inputs, ["y"]).Output("y"), X);
    }

    [Fact]
    public void ClipWithRunTimeBoundsAndMinAboveMax()
    {
        // max(x) as a run-time lower bound of x·0.5
        var b = new OnnxGraphBuilder(13).Input("x", X).Initializer("h", [0.5f])
            .Node("ReduceMax", ["x"], ["m"], ("keepdims", 0))
            .Node("Mul", ["x", "h"], ["xh"])
            .Node("Clip", ["xh", "", "m"], ["y"]).Output("y");
        OpTest.Check(b, X);
        var inverted = new OnnxGraphBuilder(13).Input("x", X).Initializer("lo", [0.5f]).Initializer("hi", [-0.5f])
            .Node("Clip", ["x", "lo", "hi"], ["y"]).Output("y");
        OpTest.Check(inverted, X);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("none")]
    [InlineData("tanh")]
    public void Gelu20(string? approximate)
    {
        var attrs = approximate is null ? Array.Empty<(string, object)>() : [("approximate", approximate)];
        OpTest.Check(OpTest.Graph(20, X, "Gelu", ["x"], attrs), X, -4, 4);
    }

    [Fact]
    public void GeluDecomposedAsExportersWriteIt()
    {
        // x·0.5·(1 + erf(x/√2))
        var b = new OnnxGraphBuilder(17).Input("x", X)
            .Initializer("s", [1.4142135f]).Initializer("one", [1f]).Initializer("half", [0.5f])
            .Node("Div", ["x", "s"], ["d"]).Node("Erf", ["d"], ["e"]).Node("Add", ["e", "one"], ["a"])
            .Node("Mul", ["x", "a"], ["m"]).Node("Mul", ["m", "half"], ["y"]).Output("y");
        OpTest.Check(b, X, -4, 4);
    }

    [Fact]
    public void GeluBadApproximateFails() =>
        OpTest.Fails<OnnxValidationException>(OpTest.Graph(20, X, "Gelu", ["x"], ("approximate", "fast")), X);

    [Theory]
    [InlineData("Softmax", 11, null)]
    [InlineData("Softmax", 11, 2)]
    [InlineData("Softmax", 11, -1)]
    [InlineData("Softmax", 11, 0)]
    [InlineData("LogSoftmax", 11, null)]
    [InlineData("LogSoftmax", 11, 3)]
    [InlineData("Softmax", 13, null)]
    [InlineData("Softmax", 13, 1)]
    [InlineData("LogSoftmax", 13, null)]
    [InlineData("LogSoftmax", 13, -3)]
    public void SoftmaxAxisSemantics(string op, int opset, int? axis)
    {
        var attrs = axis is null ? Array.Empty<(string, object)>() : [("axis", axis.Value)];
        OpTest.Check(OpTest.Graph(opset, X, op, ["x"], attrs), X, -3, 3);
    }

    [Fact]
    public void SoftmaxAxisOutOfRangeFails() =>
        OpTest.Fails<OnnxValidationException>(OpTest.Graph(13, X, "Softmax", ["x"], ("axis", 4)), X);
}
