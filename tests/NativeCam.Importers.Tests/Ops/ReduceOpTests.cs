using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;

namespace NativeCam.Importers.Tests.Ops;

public class ReduceOpTests
{
    private static readonly int[] X = [2, 3, 4, 5];

    /// <summary>Axes as an attribute (opset 11) or as an int64 input (axes == null: none given).</summary>
    private static OnnxGraphBuilder Reduce(string op, int opset, bool axesInput, long[]? axes, int? keepdims, int? noop = null)
    {
        var b = new OnnxGraphBuilder(opset, opset >= 18 ? 8 : 7).Input("x", X);
        var attrs = new List<(string, object)>();
        if (keepdims is { } k) attrs.Add(("keepdims", k));
        if (noop is { } n) attrs.Add(("noop_with_empty_axes", n));
        string[] inputs = ["x"];
        if (axes is not null)
        {
            if (axesInput) { b.Initializer("axes", axes, axes.Length); inputs = ["x", "axes"]; }
            else attrs.Add(("axes", axes));
        }
        return b.Node(op, inputs, ["y"], [.. attrs]).Output("y");
    }

    [Theory]
    [InlineData("ReduceMean")]
    [InlineData("ReduceSum")]
    [InlineData("ReduceMax")]
    [InlineData("ReduceMin")]
    [InlineData("ReduceSumSquare")]
    [InlineData("ReduceL1")]
    [InlineData("ReduceL2")]
    public void AttributeFormDefaultsAndKeepdims(string op)
    {
        OpTest.Check(Reduce(op, 11, false, null, null), X);            // all axes, keepdims 1
        OpTest.Check(Reduce(op, 11, false, null, 0), X);               // all axes to a scalar
        OpTest.Check(Reduce(op, 11, false, [2, 3], null), X);
        OpTest.Check(Reduce(op, 11, false, [-1, 1], 0), X);
        OpTest.Check(Reduce(op, 11, false, [0], 0), X);
    }

    [Theory]
    [InlineData("ReduceSum", 13)]
    [InlineData("ReduceMean", 18)]
    [InlineData("ReduceMax", 18)]
    [InlineData("ReduceMin", 18)]
    public void InputForm(string op, int opset)
    {
        OpTest.Check(Reduce(op, opset, true, [2, 3], null), X);
        OpTest.Check(Reduce(op, opset, true, [-3], 0), X);
        OpTest.Check(Reduce(op, opset, true, null, 1), X);             // no axes: all
        OpTest.Check(Reduce(op, opset, true, null, 0, noop: 0), X);
        OpTest.Check(Reduce(op, opset, true, null, 1, noop: 1), X);    // no axes with noop: identity
        OpTest.Check(Reduce(op, opset, true, [], 0, noop: 1), X);      // empty axes tensor with noop: identity
        OpTest.Check(Reduce(op, opset, true, [], 0), X);               // empty axes tensor: all
    }

    [Fact]
    public void ReduceMeanKeepsAttributeFormUntilOpset18() =>
        OpTest.Check(Reduce("ReduceMean", 17, false, [1], 1), X);

    [Fact]
    public void BadAxesFail()
    {
        OpTest.Fails<OnnxValidationException>(Reduce("ReduceMean", 13, false, [1, -3], 1), X);
        OpTest.Fails<OnnxValidationException>(Reduce("ReduceSum", 13, true, [4], 1), X);
        OpTest.Fails<OnnxValidationException>(Reduce("ReduceMax", 13, false, [0], 2), X);
    }

    [Fact]
    public void RunTimeAxesAreUnsupported()
    {
        var b = new OnnxGraphBuilder(13).Input("x", X).Node("ReduceSum", ["x", "x"], ["y"]).Output("y");
        OpTest.Fails<OnnxUnsupportedException>(b, X);
    }

    [Fact]
    public void ReduceOfKnownShapeDataFolds()
    {
        // the largest dim of x, from Shape → ReduceMax (int64, folded) → Cast, scales x
        var b = new OnnxGraphBuilder(13).Input("x", X)
            .Node("Shape", ["x"], ["s"])
            .Node("ReduceMax", ["s"], ["m"], ("keepdims", 1))
            .Node("Cast", ["m"], ["mf"], ("to", 1))
            .Node("Mul", ["x", "mf"], ["y"]).Output("y");
        OpTest.Check(b, X);
    }
}
