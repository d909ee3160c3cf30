using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Gather along an axis, its adjoint ScatterAdd, and Pad in every mode.</summary>
public class GatherPadGradTests
{
    [Theory, ChecksOp(typeof(GatherAxisOp))]
    [InlineData(new[] { 3, 4, 2 }, 1, new[] { 2, 0, 2, -1, 2 })]   // repeats: the scatter-add adjoint must accumulate
    [InlineData(new[] { 5, 3 }, 0, new[] { 4, -5, 1 })]
    [InlineData(new[] { 2, 3, 5 }, -1, new[] { 4, 4, 4, 4 })]
    [InlineData(new[] { 2, 3 }, 1, new int[0])]
    public void Gather(int[] shape, int axis, int[] indices)
    {
        Passes(x => x.Gather(axis, indices), Rand(shape, 1));
        Passes(x => { var g = x.Gather(axis, indices); return g * g.Exp(); }, Rand(shape, 2));
    }

    [Fact]
    public void GatherValuesMatchLoops()
    {
        int[] shape = [2, 4, 3], idx = [3, -4, 3, 1];
        var d = LayoutRef.Data(24, 3);
        var y = Tensor.FromArray(d, shape).Gather(1, idx);
        Assert.Equal(new[] { 2, 4, 3 }, y.Shape);
        Assert.Equal(LayoutRef.Map(d, shape, y.Shape, i => [i[0], (idx[i[1]] + 4) % 4, i[2]]), y.ToArray());
        var s = Tensor.FromArray(d, shape).Gather(-1, -2);
        Assert.Equal(new[] { 2, 4 }, s.Shape);
        Assert.Equal(LayoutRef.Map(d, shape, s.Shape, i => [i[0], i[1], 1]), s.ToArray());
        Passes(x => { var g = x.Gather(0, 1); return g * g; }, Rand(shape, 4));
    }

    [Fact, ChecksOp(typeof(ScatterAddAxisOp))]
    public void ScatterAdd()
    {
        var op = () => new ScatterAddAxisOp(1, [2, 0, 2, 2], 3);
        Passes(x => op().Apply(x), Rand([2, 4, 3], 1));
        Passes(x => { var s = op().Apply(x); return s * s.Exp(); }, Rand([2, 4, 3], 2));
        var ones = Tensor.Ones([1, 4, 2], DType.Float64);
        Assert.Equal(new double[] { 1, 1, 0, 0, 3, 3 }, op().Apply(ones).ToArray());
        // the gradient of Σ gather(x) counts how often each entry is picked
        var g = Ad.Grad(x => x.Gather(0, [1, 1, 0, 1, -1]).Sum(), Rand([3, 2], 5));
        Assert.Equal(new double[] { 1, 1, 3, 3, 1, 1 }, g.ToArray());
    }

    public static TheoryData<int[], int[]> PadShapes => new()
    {
        { [3, 4], [1, 0, 2, 3] },
        { [2, 3, 4], [0, 2, 1, 1, 0, 3] },
        { [5], [-2, 3] },                 // crop the start, pad the end
        { [3, 5], [2, -1, -1, 2] },
    };

    [Theory, MemberData(nameof(PadShapes)), ChecksOp(typeof(PadOp))]
    public void PadConstant(int[] shape, int[] pads)
    {
        Passes(x => x.Pad(pads, 0.7), Rand(shape, 1));
        Passes(x => { var p = x.Pad(pads, 1.5); return p * p.Exp(); }, Rand(shape, 2));
    }

    [Theory, MemberData(nameof(PadShapes))]
    public void PadOtherModes(int[] shape, int[] pads)
    {
        foreach (var mode in new[] { PadMode.Reflect, PadMode.Edge, PadMode.Wrap })
            Passes(x => { var p = x.Pad(pads, mode); return p * p.Exp(); }, Rand(shape, 3));
    }

    [Fact]
    public void PadValuesMatchNumPy()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 3 }, [3]);
        Assert.Equal(new double[] { 9, 9, 1, 2, 3, 9 }, x.Pad([2, 1], 9).ToArray());
        Assert.Equal(new double[] { 3, 2, 1, 2, 3, 2, 1 }, x.Pad([2, 2], PadMode.Reflect).ToArray());
        Assert.Equal(new double[] { 1, 1, 1, 2, 3, 3 }, x.Pad([2, 1], PadMode.Edge).ToArray());
        Assert.Equal(new double[] { 2, 3, 1, 2, 3, 1 }, x.Pad([2, 1], PadMode.Wrap).ToArray());
        Assert.Equal(new double[] { 2, 3, 0, 0 }, x.Pad([-1, 2]).ToArray());
        Assert.Equal(new double[] { 1, 2, 3, 2, 1, 2, 3 }, x.Pad([4, 0], PadMode.Reflect).ToArray()); // periodic past the edge
    }

    [Fact]
    public void Pad2dMatchesLoops()
    {
        int h = 3, w = 4;
        int[] pads = [2, 1, 1, 3]; // top, left, bottom, right
        int oh = h + 3, ow = w + 4;
        var d = LayoutRef.Data(h * w, 6);
        var x = Tensor.FromArray(d, [h, w]);
        double At(int i, int j) => d[i * w + j];
        var expected = new Dictionary<PadMode, Func<int, int, double>>
        {
            [PadMode.Constant] = (i, j) => i < 0 || i >= h || j < 0 || j >= w ? -0.5 : At(i, j),
            [PadMode.Edge] = (i, j) => At(Math.Clamp(i, 0, h - 1), Math.Clamp(j, 0, w - 1)),
            [PadMode.Reflect] = (i, j) => At(i < 0 ? -i : i >= h ? 2 * (h - 1) - i : i, j < 0 ? -j : j >= w ? 2 * (w - 1) - j : j),
            [PadMode.Wrap] = (i, j) => At(i < 0 ? i + h : i >= h ? i - h : i, j < 0 ? j + w : j >= w ? j - w : j),
        };
        foreach (var (mode, f) in expected)
        {
            var y = x.Pad(pads, mode, -0.5);
            Assert.Equal(new[] { oh, ow }, y.Shape);
            var e = new double[oh * ow];
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) e[i * ow + j] = f(i - pads[0], j - pads[1]);
            Assert.Equal(e, y.ToArray());
        }
    }
}
