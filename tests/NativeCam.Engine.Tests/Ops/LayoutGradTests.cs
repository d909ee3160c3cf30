using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Straightforward reference computations over doubles for the layout-op tests.</summary>
internal static class LayoutRef
{
    /// <summary>out[idx] = x[source(idx)] for every multi-index idx of <paramref name="outShape"/>.</summary>
    public static double[] Map(double[] x, int[] shape, int[] outShape, Func<int[], int[]> source)
    {
        var strides = Shapes.Strides(shape);
        var r = new double[Shapes.Product(outShape)];
        var idx = new int[outShape.Length];
        for (int flat = 0; flat < r.Length; flat++)
        {
            int rem = flat;
            for (int a = outShape.Length - 1; a >= 0; a--) { idx[a] = rem % outShape[a]; rem /= outShape[a]; }
            var s = source(idx);
            long f = 0;
            for (int a = 0; a < s.Length; a++) f += s[a] * strides[a];
            r[flat] = x[f];
        }
        return r;
    }

    /// <summary>A seeded double array.</summary>
    public static double[] Data(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 2 * r.NextDouble() - 1).ToArray();
    }
}

/// <summary>Permute/Transpose and the reshape-based helpers (Flatten, Squeeze, Unsqueeze); float32 agreement of the layout ops.</summary>
public class LayoutGradTests
{
    [Theory, ChecksOp(typeof(PermuteOp))]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 0, 1 })]
    [InlineData(new[] { 3, 1, 5, 2 }, new[] { 3, 1, 0, 2 })]
    [InlineData(new[] { 4, 5 }, new[] { 1, 0 })]
    public void Permute(int[] shape, int[] perm)
    {
        Passes(x => x.Permute(perm), Rand(shape, 1));
        Passes(x => { var y = x.Permute(perm); return (y * y) * x.Exp().Permute(perm); }, Rand(shape, 2));
    }

    [Fact]
    public void PermuteValuesMatchLoops()
    {
        int[] shape = [2, 3, 4], perm = [1, 2, 0];
        var d = LayoutRef.Data(24, 3);
        var y = Tensor.FromArray(d, shape).Permute(perm);
        Assert.Equal(new[] { 3, 4, 2 }, y.Shape);
        var expected = LayoutRef.Map(d, shape, y.Shape, i => [i[2], i[0], i[1]]);
        Assert.Equal(expected, y.ToArray());
        var t = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3]).Transpose(0, -1);
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.Equal(new double[] { 1, 4, 2, 5, 3, 6 }, t.ToArray());
    }

    [Fact]
    public void TransposeIsDifferentiable() =>
        Passes(x => { var t = x.Transpose(1, 3); return t * t.Exp(); }, Rand([2, 3, 1, 4], 4));

    [Fact]
    public void ReshapeHelpersGiveOnnxShapes()
    {
        var x = Rand([2, 3, 4, 5], 5);
        Assert.Equal(new[] { 2, 60 }, x.Flatten().Shape);
        Assert.Equal(new[] { 1, 120 }, x.Flatten(0).Shape);
        Assert.Equal(new[] { 24, 5 }, x.Flatten(-1).Shape);
        Assert.Equal(new[] { 120, 1 }, x.Flatten(4).Shape);
        var u = x.Unsqueeze(0, -1);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 1 }, u.Shape);
        Assert.Equal(new[] { 1, 2, 1, 3, 4, 5 }, x.Unsqueeze(0, 2).Shape);
        Assert.Equal(new[] { 2, 3, 4, 5 }, u.Squeeze().Shape);
        Assert.Equal(new[] { 2, 3, 4, 5, 1 }, u.Squeeze(0).Shape);
        Assert.Equal(x.ToArray(), u.Squeeze(0, 5).ToArray());
        Passes(z => { var f = z.Unsqueeze(1, 4).Squeeze(1).Flatten(2); Assert.Equal(new[] { 6, 4 }, f.Shape); return f * f; }, Rand([2, 3, 4], 6));
    }

    [Fact]
    public void BadArgumentsSayWhatIsWrong()
    {
        var x = Rand([2, 3, 4], 7);
        Assert.Contains("not a permutation", Assert.Throws<ArgumentException>(() => x.Permute(0, 0, 1)).Message);
        Assert.Contains("[2, 3, 4]", Assert.Throws<ArgumentException>(() => x.Permute(0, 1)).Message);
        Assert.Contains("Transpose: axis 3", Assert.Throws<ArgumentException>(() => x.Transpose(0, 3)).Message);
        Assert.Contains("Flatten", Assert.Throws<ArgumentException>(() => x.Flatten(4)).Message);
        Assert.Contains("has size 3, not 1", Assert.Throws<ArgumentException>(() => x.Squeeze(1)).Message);
        Assert.Contains("Unsqueeze", Assert.Throws<ArgumentException>(() => x.Unsqueeze(1, 1)).Message);
        Assert.Contains("Slice: step 0", Assert.Throws<ArgumentException>(() => x.Slice([0], [1], [0], [0])).Message);
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => x.Slice([0, 0], [1, 1], [1, -2])).Message);
        Assert.Contains("equal lengths", Assert.Throws<ArgumentException>(() => x.Slice([0, 0], [1])).Message);
        Assert.Contains("differ off axis 1", Assert.Throws<ArgumentException>(() => Tensor.Concat([x, Rand([2, 3, 5], 1)], 1)).Message);
        Assert.Contains("Concat: axis 3", Assert.Throws<ArgumentException>(() => Tensor.Concat([x, x], 3)).Message);
        Assert.Contains("do not add up", Assert.Throws<ArgumentException>(() => x.Split(1, [1, 1])).Message);
        Assert.Contains("need 6", Assert.Throws<ArgumentException>(() => x.Pad([1, 1])).Message);
        Assert.Contains("crop more", Assert.Throws<ArgumentException>(() => x.Pad([0, -2, 0, 0, -2, 0])).Message);
        Assert.Contains("Gather: index 3 is outside [-3, 3)", Assert.Throws<ArgumentException>(() => x.Gather(1, [0, 3])).Message);
        Assert.Contains("Gather: axis -4", Assert.Throws<ArgumentException>(() => x.Gather(-4, [0])).Message);
        Assert.Contains("[N, C, H, W]", Assert.Throws<ArgumentException>(() => x.ResizeBilinear(4, 4)).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => x.Reshape(1, 2, 3, 4).ResizeBilinear(0, 4)).Message);
        Assert.Contains("SliceBackward", Assert.Throws<ArgumentException>(() =>
            new SliceBackwardOp([4], [0], [1], [2]).Apply(Rand([3], 1))).Message);
        Assert.Contains("ScatterAddAxis", Assert.Throws<ArgumentException>(() =>
            new ScatterAddAxisOp(0, [0, 5], 3).Apply(Rand([2], 1))).Message);
    }

    /// <summary>Each layout op run in float32 and float64 on the same inputs: they move values, so results agree to float32 rounding of the inputs.</summary>
    [Fact]
    public void Float32AgreesWithFloat64()
    {
        var d = LayoutRef.Data(2 * 3 * 4 * 5, 8);
        int[] shape = [2, 3, 4, 5];
        Func<Tensor, Tensor>[] ops =
        [
            x => x.Permute(3, 1, 0, 2),
            x => x.Slice([3, 0, -1], [-10, 3, 0], [2, 1, 3], [-2, 2, -1]),
            x => Tensor.Concat([x, x.Exp(), x], 2),
            x => x.Pad([0, 1, 0, 2, 1, 0, 3, 1], 0.25),
            x => x.Pad([0, 2, 1, 0, 0, 1, 2, 3], PadMode.Reflect),
            x => x.Gather(2, [3, -1, 0, 3, 3]),
            x => new ScatterAddAxisOp(1, [2, 0, 2, 2, 1], 3).Apply(x.Gather(1, [0, 1, 2, 0, 1])),
            x => new SliceBackwardOp([3, 4, 6, 5], [1, 0, 5, 0], [1, 1, -2, 1], [2, 3, 3, 5]).Apply(x.Slice([0], [3], [2])),
        ];
        foreach (var op in ops)
        {
            var y64 = op(Tensor.FromDoubles(d, shape, DType.Float64));
            var y32 = op(Tensor.FromDoubles(d, shape, DType.Float32));
            Assert.Equal(DType.Float32, y32.DType);
            Assert.Equal(y64.Shape, y32.Shape);
            Close(y64.ToArray(), y32.ToArray(), 1e-5, 1e-6, "float32 vs float64");
        }
    }
}
