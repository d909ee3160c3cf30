using NativeCam.Engine.Ops;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Slice (ONNX semantics), its adjoint SliceBackward, Concat and Split.</summary>
public class SliceConcatGradTests
{
    /// <summary>The ONNX Slice rule written as an enumeration of kept indices of one axis.</summary>
    private static int[] KeptIndices(int start, int end, int step, int dim)
    {
        long s = start < 0 ? (long)start + dim : start, e = end < 0 ? (long)end + dim : end;
        var kept = new List<int>();
        if (dim == 0) return [];
        if (step > 0)
        {
            s = Math.Clamp(s, 0, dim); e = Math.Clamp(e, 0, dim);
            for (long i = s; i < e; i += step) kept.Add((int)i);
        }
        else
        {
            s = Math.Clamp(s, 0, dim - 1); e = Math.Clamp(e, -1, dim - 1);
            for (long i = s; i > e; i += step) kept.Add((int)i);
        }
        return [.. kept];
    }

    public static TheoryData<int[], int[], int[], int[], int[]> Slices => new()
    {
        // shape, starts, ends, axes, steps
        { [5, 6], [1, 0], [4, 6], [0, 1], [1, 2] },
        { [5, 6], [-1, -2], [-6, 0], [0, 1], [-1, -2] },              // negative steps, ends past the first element
        { [3, 7, 2], [2, 100], [1000, -100], [1, -3], [3, -1] },         // clamping both ways
        { [4, 5, 3], [-100, 1], [1000, -1], [2, 1], [1, 1] },
        { [3, 5], [4], [int.MinValue], [1], [-3] },
        { [2, 3, 4], [0], [int.MaxValue], [2], [1] },                   // whole axis: identity
        { [3, 4], [2], [1], [0], [1] },                                 // empty slice
    };

    [Theory, MemberData(nameof(Slices)), ChecksOp(typeof(SliceOp))]
    public void Slice(int[] shape, int[] starts, int[] ends, int[] axes, int[] steps)
    {
        Passes(x => x.Slice(starts, ends, axes, steps), Rand(shape, 1));
        Passes(x => { var y = x.Slice(starts, ends, axes, steps); return y * y.Exp(); }, Rand(shape, 2));
    }

    [Theory, MemberData(nameof(Slices))]
    public void SliceValuesMatchLoops(int[] shape, int[] starts, int[] ends, int[] axes, int[] steps)
    {
        var kept = shape.Select(d => Enumerable.Range(0, d).ToArray()).ToArray();
        for (int k = 0; k < axes.Length; k++)
        {
            int a = axes[k] < 0 ? axes[k] + shape.Length : axes[k];
            kept[a] = KeptIndices(starts[k], ends[k], steps[k], shape[a]);
        }
        var outShape = kept.Select(k => k.Length).ToArray();
        var d = LayoutRef.Data(shape.Aggregate(1, (p, q) => p * q), 3);
        var y = Tensor.FromArray(d, shape).Slice(starts, ends, axes, steps);
        Assert.Equal(outShape, y.Shape);
        Assert.Equal(LayoutRef.Map(d, shape, outShape, i => i.Select((j, a) => kept[a][j]).ToArray()), y.ToArray());
    }

    [Fact]
    public void SliceOnnxExamples()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6, 7, 8 }, [2, 4]);
        Assert.Equal(new double[] { 5, 7 }, x.Slice([1, 0], [2, 3], [0, 1], [1, 2]).ToArray());
        Assert.Equal(new double[] { 2, 3, 4 }, x.Slice([0, 1], [-1, 1000]).ToArray());
        Assert.Equal(new double[] { 8, 7, 6, 5, 4, 3, 2, 1 }, x.Slice([-1, -1], [int.MinValue, int.MinValue], null, [-1, -1]).ToArray());
        Assert.Equal(new double[] { 4, 2 }, x.Slice([-1], [-5], [1], [-2]).Slice([0], [1]).ToArray());
    }

    [Fact, ChecksOp(typeof(SliceBackwardOp))]
    public void SliceBackward()
    {
        // writes a [2, 3] block, step −2 on axis 1, into zeros of [4, 7]
        var op = () => new SliceBackwardOp([4, 7], [1, 6], [2, -2], [2, 3]);
        Passes(x => op().Apply(x), Rand([2, 3], 1));
        Passes(x => { var y = op().Apply(x); return (y * y + y).Exp(); }, Rand([2, 3], 2));
        var v = op().Apply(Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3])).ToArray();
        var expected = new double[28];
        expected[1 * 7 + 6] = 1; expected[1 * 7 + 4] = 2; expected[1 * 7 + 2] = 3;
        expected[3 * 7 + 6] = 4; expected[3 * 7 + 4] = 5; expected[3 * 7 + 2] = 6;
        Assert.Equal(expected, v);
    }

    [Theory, ChecksOp(typeof(ConcatOp))]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void ConcatOfThreeWithAConstant(int axis)
    {
        // x and e^x are differentiable; c is a constant, so its tangent block is zero and it gets no cotangent
        int[] cShape = axis == 0 ? [4, 3, 2] : axis == 1 ? [2, 5, 2] : [2, 3, 1];
        var c = Rand(cShape, 9);
        Tensor F(Tensor x)
        {
            var z = Tensor.Concat([x, c, x.Exp()], axis);
            return z * z;
        }
        Passes(F, Rand([2, 3, 2], 1));
        Passes(x => Tensor.Concat([x, c, x], axis), Rand([2, 3, 2], 2));
    }

    [Fact]
    public void ConcatValuesAndSplitRoundTrip()
    {
        var a = Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2]);
        var b = Tensor.FromArray(new double[] { 5, 6 }, [2, 1]);
        var e = Tensor.FromArray(Array.Empty<double>(), [2, 0]);
        var c = Tensor.Concat([a, e, b, a], 1);
        Assert.Equal(new[] { 2, 5 }, c.Shape);
        Assert.Equal(new double[] { 1, 2, 5, 1, 2, 3, 4, 6, 3, 4 }, c.ToArray());
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 1, 2, 3, 4 }, Tensor.Concat([a, b.Reshape(1, 2), a], 0).ToArray());
        var parts = c.Split(-1, [2, 0, 1, 2]);
        Assert.Equal(new[] { 2, 0 }, parts[1].Shape);
        Assert.Equal(a.ToArray(), parts[0].ToArray());
        Assert.Equal(b.ToArray(), parts[2].ToArray());
        Assert.Equal(a.ToArray(), parts[3].ToArray());
    }

    [Fact]
    public void SplitIsDifferentiable() =>
        Passes(x =>
        {
            var p = x.Split(1, [1, 3, 1]);
            return Tensor.Concat([p[2] * p[0], p[1].Exp(), p[0]], 1);
        }, Rand([3, 5, 2], 4));

    [Fact]
    public void DisposingAWholeSliceLeavesTheSourceIntact()
    {
        // a slice covering everything is a view with its own reference, not the source itself
        var x = Rand([2, 3, 4], 40);
        var expected = x.ToArray();
        using (var whole = x.Slice([0], [2], [0])) Assert.Equal(expected, whole.ToArray());
        Assert.Equal(expected, x.ToArray());
    }
}
