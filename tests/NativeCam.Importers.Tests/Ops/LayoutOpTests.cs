using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using static NativeCam.Importers.Tests.Ops.ShapeOpTests;

namespace NativeCam.Importers.Tests.Ops;

/// <summary>Layout ops against ONNX Runtime: Transpose, Slice, Split, Pad, Expand, Tile, Resize, ScatterND.</summary>
public class LayoutOpTests
{
    private const long Int64Max = long.MaxValue, Int64Min = long.MinValue;

    [Theory]
    [InlineData(null)]
    [InlineData(new[] { 0, 2, 3, 1 })]
    [InlineData(new[] { 2, 0, 1, 3 })]
    public void Transpose(int[]? perm) =>
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3, 4, 5)
            .Node("Transpose", ["x"], ["y"], perm is null ? [] : [("perm", perm)])
            .Output("y"), 2, 3, 4, 5);

    [Fact]
    public void TransposeWithABadPermFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Node("Transpose", ["x"], ["y"], ("perm", new[] { 0, 0 })).Output("y"), 2, 3);

    [Theory]
    [InlineData(new long[] { 1, 0 }, new long[] { 3, -1 }, null)]
    [InlineData(new long[] { -2 }, new long[] { Int64Max }, new long[] { 2 })]
    [InlineData(new long[] { 0, 1 }, new long[] { 100, 4 }, new long[] { -1, 0 })]
    public void SliceAttributesBeforeOpset10(long[] starts, long[] ends, long[]? axes)
    {
        var attrs = new List<(string, object)> { ("starts", starts), ("ends", ends) };
        if (axes is not null) attrs.Add(("axes", axes));
        Check(new OnnxGraphBuilder(9).Input("x", 4, 5, 6)
            .Node("Slice", ["x"], ["y"], attrs.ToArray())
            .Output("y"), 4, 5, 6);
    }

    [Theory]
    [InlineData(new long[] { 1, 0 }, new long[] { 3, -1 }, null, null)]
    [InlineData(new long[] { 0, 1 }, new long[] { Int64Max, 5 }, new long[] { 2, 0 }, new long[] { 2, 2 })]
    [InlineData(new long[] { -1 }, new long[] { Int64Min }, new long[] { 1 }, new long[] { -1 })]
    [InlineData(new long[] { Int64Max, 4 }, new long[] { Int64Min, 0 }, new long[] { -1, -3 }, new long[] { -2, -3 })]
    [InlineData(new long[] { 3 }, new long[] { 1 }, new long[] { 0 }, null)]
    [InlineData(new long[] { -100 }, new long[] { 100 }, new long[] { -2 }, new long[] { 3 })]
    public void SliceInputs(long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        var b = new OnnxGraphBuilder(13).Input("x", 4, 5, 6)
            .Initializer(Int64Tensor("s", starts, starts.Length))
            .Initializer(Int64Tensor("e", ends, ends.Length));
        var inputs = new List<string> { "x", "s", "e" };
        if (axes is not null) { b.Initializer(Int64Tensor("a", axes, axes.Length)); inputs.Add("a"); }
        if (steps is not null)
        {
            if (axes is null) inputs.Add("");
            b.Initializer(Int64Tensor("p", steps, steps.Length));
            inputs.Add("p");
        }
        Check(b.Node("Slice", inputs.ToArray(), ["y"]).Output("y"), 4, 5, 6);
    }

    [Fact]
    public void SliceStepZeroFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(13).Input("x", 4)
            .Initializer(Int64Tensor("s", [0], 1)).Initializer(Int64Tensor("e", [4], 1))
            .Initializer(Int64Tensor("a", [0], 1)).Initializer(Int64Tensor("p", [0], 1))
            .Node("Slice", ["x", "s", "e", "a", "p"], ["y"]).Output("y"), 4);

    /// <summary>Splits x into parts and concatenates them in reverse order (so every part is compared).</summary>
    private static OnnxGraphBuilder SplitGraph(int opset, int parts, int axis, long[]? split, (string, object)[] attrs, bool splitInput)
    {
        var b = new OnnxGraphBuilder(opset).Input("x", 4, 7);
        var outs = Enumerable.Range(0, parts).Select(i => $"p{i}").ToArray();
        var inputs = new List<string> { "x" };
        var a = attrs.ToList();
        a.Add(("axis", axis));
        if (split is not null)
        {
            if (splitInput) { b.Initializer(Int64Tensor("split", split, split.Length)); inputs.Add("split"); }
            else a.Add(("split", split));
        }
        return b.Node("Split", inputs.ToArray(), outs, a.ToArray())
            .Node("Concat", outs.Reverse().ToArray(), ["y"], ("axis", axis))
            .Output("y");
    }

    [Fact]
    public void SplitAttributeBeforeOpset13() => Check(SplitGraph(11, 3, 1, [2, 4, 1], [], splitInput: false), 4, 7);

    [Fact]
    public void SplitEqualByDefault() => Check(SplitGraph(11, 2, 0, null, [], splitInput: false), 4, 7);

    [Fact]
    public void SplitInputFromOpset13() => Check(SplitGraph(13, 3, -1, [3, 0, 4], [], splitInput: true), 4, 7);

    [Fact]
    public void SplitNumOutputsOpset18() => Check(SplitGraph(18, 3, 1, null, [("num_outputs", 3)], splitInput: false), 4, 7);

    [Fact]
    public void SplitUnevenWithoutSizesFails() => Fails<OnnxValidationException>(SplitGraph(13, 2, 1, null, [], splitInput: false), 4, 7);

    [Theory]
    [InlineData("constant", new long[] { 0, 1, 2, 1, 0, 3 })]
    [InlineData("reflect", new long[] { 1, 1, 0, 1, 3, 4 })]
    [InlineData("edge", new long[] { 0, 3, 1, 1, 2, 0 })]
    [InlineData("constant", new long[] { 0, -1, 2, 0, 1, -2 })]
    public void PadAttributesBeforeOpset11(string mode, long[] pads) =>
        Check(new OnnxGraphBuilder(7).Input("x", 2, 4, 5)
            .Node("Pad", ["x"], ["y"], ("mode", mode), ("pads", pads), ("value", 1.5f))
            .Output("y"), 2, 4, 5);

    [Fact]
    public void PadValueDefaultsToZero() =>
        Check(new OnnxGraphBuilder(7).Input("x", 2, 3).Node("Pad", ["x"], ["y"], ("pads", new long[] { 1, 1, 0, 2 })).Output("y"), 2, 3);

    [Theory]
    [InlineData("constant", new long[] { 1, 0, 2, 0, 3, 1 }, true)]
    [InlineData("constant", new long[] { 1, 0, 2, 0, 3, 1 }, false)]
    [InlineData("reflect", new long[] { 0, 3, 2, 1, 1, 4 }, false)]
    [InlineData("edge", new long[] { 2, 0, 1, 0, 4, 3 }, false)]
    [InlineData("edge", new long[] { 0, -1, 1, -1, 0, 2 }, false)]
    public void PadInputsFromOpset11(string mode, long[] pads, bool withValue)
    {
        var b = new OnnxGraphBuilder(13).Input("x", 2, 4, 5).Initializer(Int64Tensor("p", pads, pads.Length));
        string[] inputs = ["x", "p"];
        if (withValue) { b.Initializer("v", [-0.75f]); inputs = ["x", "p", "v"]; }
        Check(b.Node("Pad", inputs, ["y"], ("mode", mode)).Output("y"), 2, 4, 5);
    }

    [Theory]
    [InlineData("constant", new long[] { 0, -1 }, new long[] { 1, 0, 2, 3 })]
    [InlineData("reflect", new long[] { -1 }, new long[] { 2, 3 })]
    public void PadAxesOpset18(string mode, long[] axes, long[] pads) =>
        Check(new OnnxGraphBuilder(18).Input("x", 2, 4, 5)
            .Initializer(Int64Tensor("p", pads, pads.Length)).Initializer("v", [2f]).Initializer(Int64Tensor("a", axes, axes.Length))
            .Node("Pad", ["x", "p", "v", "a"], ["y"], ("mode", mode))
            .Output("y"), 2, 4, 5);

    [Fact]
    public void PadWrapOpset19() =>
        Check(new OnnxGraphBuilder(19).Input("x", 2, 4, 5)
            .Initializer(Int64Tensor("p", [0, 2, 1, 0, 1, 3], 6))
            .Node("Pad", ["x", "p"], ["y"], ("mode", "wrap"))
            .Output("y"), 2, 4, 5);

    [Theory]
    [InlineData(new long[] { 2, 3, 4 })]
    [InlineData(new long[] { 3, 1 })]
    [InlineData(new long[] { 2, 1, 1, 1 })]
    [InlineData(new long[] { 1 })]
    public void ExpandBroadcastsBothWays(long[] shape) =>
        Check(new OnnxGraphBuilder(13).Input("x", 3, 1)
            .Initializer(Int64Tensor("s", shape, shape.Length))
            .Node("Expand", ["x", "s"], ["y"])
            .Output("y"), 3, 1);

    [Fact]
    public void ExpandIncompatibleFails() =>
        Fails<OnnxValidationException>(new OnnxGraphBuilder(13).Input("x", 3, 2)
            .Initializer(Int64Tensor("s", [3, 4], 2)).Node("Expand", ["x", "s"], ["y"]).Output("y"), 3, 2);

    [Theory]
    [InlineData(new long[] { 2, 3 })]
    [InlineData(new long[] { 1, 1 })]
    [InlineData(new long[] { 3, 1 })]
    public void Tile(long[] repeats) =>
        Check(new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer(Int64Tensor("r", repeats, 2))
            .Node("Tile", ["x", "r"], ["y"])
            .Output("y"), 2, 3);

    /// <summary>Resize with sizes (scales "") or scales (sizes omitted), opset 13.</summary>
    private static OnnxGraphBuilder ResizeGraph(int[] inShape, float[]? scales, long[]? sizes, params (string, object)[] attrs)
    {
        var b = new OnnxGraphBuilder(13).Input("x", inShape);
        string[] inputs;
        if (scales is not null) { b.Initializer("sc", scales, scales.Length); inputs = ["x", "", "sc"]; }
        else { b.Initializer(Int64Tensor("sz", sizes!, sizes!.Length)); inputs = ["x", "", "", "sz"]; }
        return b.Node("Resize", inputs, ["y"], attrs).Output("y");
    }

    [Theory]
    [InlineData("half_pixel", 1, 2, 12, 15)]
    [InlineData("half_pixel", 1, 2, 3, 4)]
    [InlineData("pytorch_half_pixel", 1, 2, 10, 14)]
    [InlineData("pytorch_half_pixel", 1, 2, 1, 9)]
    [InlineData("align_corners", 1, 2, 9, 11)]
    [InlineData("asymmetric", 1, 2, 10, 3)]
    public void ResizeLinearSizes(string coord, int n, int c, int h, int w) =>
        Check(ResizeGraph([1, 2, 5, 7], null, [n, c, h, w], ("mode", "linear"), ("coordinate_transformation_mode", coord)), 1, 2, 5, 7);

    [Theory]
    [InlineData("half_pixel", 2f, 2f)]
    [InlineData("half_pixel", 1.5f, 1.7f)]
    [InlineData("pytorch_half_pixel", 3f, 0.5f)]
    [InlineData("align_corners", 2f, 2f)]
    public void ResizeLinearScales(string coord, float sh, float sw) =>
        Check(ResizeGraph([1, 2, 5, 8], [1f, 1f, sh, sw], null, ("mode", "linear"), ("coordinate_transformation_mode", coord)), 1, 2, 5, 8);

    [Theory]
    [InlineData("asymmetric", "floor", 2f, 3f)]
    [InlineData("half_pixel", "round_prefer_floor", 2f, 0.5f)]
    [InlineData("half_pixel", "round_prefer_ceil", 1.5f, 2.5f)]
    [InlineData("align_corners", "ceil", 2f, 1.25f)]
    [InlineData("tf_half_pixel_for_nn", "floor", 0.6f, 2f)]
    [InlineData(null, null, 3f, 2f)]
    public void ResizeNearest(string? coord, string? nearest, float sh, float sw)
    {
        var attrs = new List<(string, object)>();
        if (coord is not null) attrs.Add(("coordinate_transformation_mode", coord));
        if (nearest is not null) attrs.Add(("nearest_mode", nearest));
        Check(ResizeGraph([1, 2, 5, 8], [1f, 1f, sh, sw], null, attrs.ToArray()), 1, 2, 5, 8);
    }

    [Fact]
    public void ResizeOpset10Nearest() =>
        Check(new OnnxGraphBuilder(10).Input("x", 1, 2, 3, 4)
            .Initializer("sc", [1f, 1f, 2f, 3f], 4)
            .Node("Resize", ["x", "sc"], ["y"])
            .Output("y"), 1, 2, 3, 4);

    [Fact]
    public void ResizeOpset11WithRoiAndEmptyScales()
    {
        var b = new OnnxGraphBuilder(11).Input("x", 1, 2, 4, 4)
            .Initializer("roi", Array.Empty<float>(), 0).Initializer("sc", Array.Empty<float>(), 0)
            .Initializer(Int64Tensor("sz", [1, 2, 7, 9], 4))
            .Node("Resize", ["x", "roi", "sc", "sz"], ["y"], ("mode", "linear"))
            .Output("y");
        Check(b, 1, 2, 4, 4);
    }

    [Fact]
    public void ResizeCubicIsUnsupported() =>
        Fails<OnnxUnsupportedException>(ResizeGraph([1, 1, 4, 4], [1f, 1f, 2f, 2f], null, ("mode", "cubic")), 1, 1, 4, 4);

    [Fact]
    public void ScatterNDOnRunTimeData() =>
        // rows 2 and 0 of x replaced by constant rows
        Check(new OnnxGraphBuilder(13).Input("x", 4, 3)
            .Initializer(Int64Tensor("i", [2, -4], 2, 1))
            .Initializer("u", OrtPeer.RandomInput([2, 3], 7), 2, 3)
            .Node("ScatterND", ["x", "i", "u"], ["y"])
            .Output("y"), 4, 3);

    [Fact]
    public void ScatterNDOfRunTimeUpdatesIntoConstantData() =>
        Check(new OnnxGraphBuilder(13).Input("x", 2)
            .Initializer("d", OrtPeer.RandomInput([3, 2], 8), 3, 2)
            .Initializer(Int64Tensor("i", [1, 0, 2, 1], 2, 2))
            .Node("ScatterND", ["d", "i", "x"], ["y"])
            .Output("y"), 2);

    [Theory]
    [InlineData(13, "none")]
    [InlineData(16, "add")]
    [InlineData(16, "mul")]
    [InlineData(18, "max")]
    public void ScatterNDFoldedMask(int opset, string reduction) =>
        // like Swin's attention mask: ConstantOfShape + ScatterND known at import, then used on run-time data
        Check(new OnnxGraphBuilder(opset).Input("x", 3, 4)
            .Initializer(Int64Tensor("s", [3, 4], 2))
            .Node("ConstantOfShape", ["s"], ["z"], ("value", OnnxGraphBuilder.FloatTensor("v", [1f], 1)))
            .Initializer(Int64Tensor("i", [0, 1, 2, 3, 0, 1], 3, 2))
            .Initializer("u", [2f, -3f, 4f], 3)
            .Node("ScatterND", ["z", "i", "u"], ["m"], opset >= 16 ? [("reduction", reduction)] : [])
            .Node("Mul", ["x", "m"], ["y"])
            .Output("y"), 3, 4);
}
