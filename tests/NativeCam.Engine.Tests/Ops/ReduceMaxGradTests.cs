using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// Max/min reductions and the flat gather/scatter-add ops their rules use. Gradient checks use inputs whose values
/// are at least 0.1 apart, so the finite differences never move the argmax; default tolerances (rtol 1e-6, atol 1e-8).
/// </summary>
public class ReduceMaxGradTests
{
    /// <summary>Shuffled distinct values k·0.1 − offset (ties and near-ties impossible).</summary>
    private static Tensor Distinct(int[] shape, int seed)
    {
        int n = (int)Shapes.Product(shape);
        var r = new Random(seed);
        var v = Enumerable.Range(0, n).Select(k => k * 0.1 - n * 0.05 + 0.01 * r.NextDouble()).ToArray();
        r.Shuffle(v);
        return Tensor.FromArray(v, shape);
    }

    private static IBuffer Index(int[] values)
    {
        var b = Tensor.DefaultBackend.Allocate(DType.Int32, values.Length);
        Tensor.DefaultBackend.Upload<int>(values, b);
        return b;
    }

    public static TheoryData<int[], bool> Axes => new()
    {
        { [0], false },
        { [1, 2], true },
        { [-1], false },
        { [0, 2], true },
        { [], false },
    };

    [Theory, MemberData(nameof(Axes)), ChecksOp(typeof(ReduceMaxOp))]
    public void Max(int[] axes, bool keep)
    {
        var x = Distinct([2, 3, 4], 1);
        Passes(z => z.Max(axes, keep), x);
        Passes(z => z.Max(axes, keep) * z.Max(axes, keep) * z.Sum(axes, keep), x);
        Passes(z => (z * z).Max(axes, keep), Distinct([2, 3, 4], 2) + 5.0); // positive: z² keeps the order
    }

    [Theory, MemberData(nameof(Axes)), ChecksOp(typeof(ReduceMinOp))]
    public void Min(int[] axes, bool keep)
    {
        var x = Distinct([2, 3, 4], 3);
        Passes(z => z.Min(axes, keep), x);
        Passes(z => z.Min(axes, keep).Exp() * z.Sum(axes, keep), x);
    }

    [Fact, ChecksOp(typeof(GatherFlatOp))]
    public void GatherFlat()
    {
        var idx = Index([5, 0, 3, 3, 11, 2]);
        Passes(z => new GatherFlatOp(idx, [2, 3]).Apply(z), Rand([3, 4], 4));
        Passes(z => new GatherFlatOp(idx, [2, 3]).Apply(z).Square().Exp(), Rand([3, 4], 4));
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => i * 1.5).ToArray(), [3, 4]);
        Assert.Equal([7.5, 0, 4.5, 4.5, 16.5, 3], new GatherFlatOp(idx, [2, 3]).Apply(x).ToArray());
    }

    [Fact, ChecksOp(typeof(ScatterAddFlatOp))]
    public void ScatterAddFlat()
    {
        var idx = Index([5, 0, 3, 3, 1, 2]);
        Passes(z => new ScatterAddFlatOp(idx, [2, 4]).Apply(z), Rand([6], 5));
        Passes(z => new ScatterAddFlatOp(idx, [2, 4]).Apply(z * z) * new ScatterAddFlatOp(idx, [2, 4]).Apply(z), Rand([6], 5));
        var x = Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal([2.0, 5, 6, 7, 0, 1, 0, 0], new ScatterAddFlatOp(idx, [2, 4]).Apply(x).ToArray()); // duplicates add
    }

    [Theory, MemberData(nameof(Axes))]
    public void ValuesMatchLoops(int[] axes, bool keep)
    {
        var x = Rand([2, 3, 4], 6);
        var xv = x.ToArray();
        var ax = axes.Length == 0 ? [0, 1, 2] : axes.Select(a => a < 0 ? a + 3 : a).ToArray();
        int[] dims = [2, 3, 4];
        var outShape = keep ? dims.Select((d, i) => ax.Contains(i) ? 1 : d).ToArray() : dims.Where((_, i) => !ax.Contains(i)).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, (int)Shapes.Product(outShape)).ToArray();
        var min = Enumerable.Repeat(double.PositiveInfinity, max.Length).ToArray();
        var kept = Enumerable.Range(0, 3).Where(i => !ax.Contains(i)).ToArray();
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                {
                    int[] ijk = [i, j, k];
                    int o = 0;
                    foreach (int d in kept) o = o * dims[d] + ijk[d];
                    double v = xv[(i * 3 + j) * 4 + k];
                    max[o] = Math.Max(max[o], v);
                    min[o] = Math.Min(min[o], v);
                }
        var y = x.Max(axes, keep);
        Assert.Equal(outShape, y.Shape);
        Assert.Equal(max, y.ToArray());
        Assert.Equal(min, x.Min(axes, keep).ToArray());
    }

    [Fact]
    public void TiesSendTheGradientToTheFirstExtreme()
    {
        var x = Tensor.FromArray(new double[] { 1, 3, 3, 0, 2, 2, 0, -1 }, [2, 4]);
        Assert.Equal([0.0, 1, 0, 0, 1, 0, 0, 0], Ad.Grad(z => z.Max([1]).Sum(), x).ToArray());
        Assert.Equal([0.0, 0, 0, 1, 0, 0, 0, 1], Ad.Grad(z => z.Min([1]).Sum(), x).ToArray());
        Assert.Equal([0.0, 1, 0, 0, 0, 0, 0, 0], Ad.Grad(z => z.Max().Sum(), x).ToArray());
    }

    [Fact]
    public void RankZeroAndNegativeAxes()
    {
        var s = Tensor.Scalar(2.5, DType.Float64);
        Assert.Equal(2.5, s.Max().Item());
        Assert.Equal(1.0, Ad.Grad(z => z.Max(), s).Item());
        var x = Rand([2, 3], 7);
        Assert.Equal(x.Max([1]).ToArray(), x.Max([-1]).ToArray());
        Assert.Throws<ArgumentException>(() => x.Max([2]));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 0], DType.Float64).Max([1]));
    }
}
