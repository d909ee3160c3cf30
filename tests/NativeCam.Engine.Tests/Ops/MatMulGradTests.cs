using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Values and gradient checks of MatMul (batched, broadcast, transposed) and the Gemm function.</summary>
public class MatMulGradTests
{
    // (a shape, b shape) before transposes: a [..., M, K], b [..., K, N]
    public static TheoryData<int[], int[], bool, bool> Cases()
    {
        var d = new TheoryData<int[], int[], bool, bool>();
        (int[], int[])[] shapes =
        [
            ([3, 4], [4, 5]),
            ([2, 3, 4], [4, 5]),       // b shared across the batch
            ([3, 4], [2, 4, 5]),       // a shared across the batch
            ([2, 3, 4], [2, 4, 5]),
            ([2, 1, 3, 4], [3, 4, 2]), // batch dims broadcast both ways
            ([1, 2, 3, 4], [2, 1, 4, 2]),
        ];
        foreach (var (a, b) in shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    d.Add(Stored(a, ta), Stored(b, tb), ta, tb);
        return d;
    }

    /// <summary>The stored shape of an operand whose op(·) is <paramref name="s"/>.</summary>
    private static int[] Stored(int[] s, bool trans) => trans ? [.. s[..^2], s[^1], s[^2]] : s;

    [Theory, MemberData(nameof(Cases))]
    public void ValuesMatchLoops(int[] sa, int[] sb, bool ta, bool tb)
    {
        var a = Rand(sa, 1);
        var b = Rand(sb, 2);
        var (expected, shape) = Reference(a.ToArray(), sa, b.ToArray(), sb, ta, tb);
        var y = a.MatMul(b, ta, tb);
        Assert.Equal(shape, y.Shape);
        Close(expected, y.ToArray(), 1e-12, 1e-12);
    }

    // tolerances: float64 central differences, rtol 1e-6 / atol 1e-8 (defaults)
    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(MatMulOp))]
    public void Gradients(int[] sa, int[] sb, bool ta, bool tb)
    {
        var a0 = Rand(sa, 1);
        var b0 = Rand(sb, 2);
        Passes(a => a.MatMul(b0, ta, tb), a0);
        Passes(b => a0.MatMul(b, ta, tb), b0);
        // both operands depend on the variable: second-order rules of the bilinear op are exercised (H·v ≠ 0)
        Passes(a => a.MatMul(b0 * a.Sum(), ta, tb), a0);
        Passes(b => (a0 * b.Sum()).MatMul(b, ta, tb), b0);
        Passes(a => { var y = a.MatMul(b0, ta, tb); return y * y; }, a0);
    }

    [Theory]
    [InlineData(1, false, DType.Float32)]
    [InlineData(3, true, DType.Float32)]
    [InlineData(32, true, DType.Float64)]
    [InlineData(33, false, DType.Float64)] // more rows than are stacked: value and tangent apart
    public void TangentOfADenseLayerEqualsTheSeparateProductsBitwise(int m, bool tb, DType dtype)
    {
        // [x; v]·op(W) in one product (W read once) must give exactly x·op(W) and v·op(W)
        var x = Rand([m, 37], 1).ToDType(dtype);
        var v = Rand([m, 37], 2).ToDType(dtype);
        var w = Rand(tb ? [29, 37] : [37, 29], 3).ToDType(dtype);
        var (y, dy) = NativeCam.Engine.Autodiff.Ad.Jvp(a => a.MatMul(w, false, tb), x, v);
        Assert.Equal(x.MatMul(w, false, tb).ToArray(), y.ToArray());
        Assert.Equal(v.MatMul(w, false, tb).ToArray(), dy.ToArray());
        // a backward sweep's dual cotangent through the same layer: ȳ·W for the cotangent and its tangent
        var u = Rand([m, 29], 4).ToDType(dtype);
        var (g, hv) = NativeCam.Engine.Autodiff.Ad.GradAndHvp(a => (a.MatMul(w, false, tb) * u).Sum() * a.Sum(), x, v);
        Assert.Equal([m, 37], g.Shape);
        Close((u.MatMul(w, false, !tb) * x.Sum() + (x.MatMul(w, false, tb) * u).Sum()).ToArray(), g.ToArray(), 1e-5, 1e-5);
        if (dtype != DType.Float64) return;
        // H·v against central differences of the gradient
        const double h = 1e-5;
        Tensor Grad(Tensor a) => NativeCam.Engine.Autodiff.Ad.Grad(z => (z.MatMul(w, false, tb) * u).Sum() * z.Sum(), a);
        var fd = (Grad(x + v * h) - Grad(x - v * h)) / (2 * h);
        Close(fd.ToArray(), hv.ToArray(), 1e-6, 1e-7);
    }

    [Fact]
    public void SquareProductOfItself()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Passes(a => a.MatMul(a, ta, tb), Rand([2, 3, 3], 3));
    }

    [Fact]
    public void OneDimensionalOperands()
    {
        var v = Rand([4], 1);
        var m = Rand([2, 4, 3], 2);
        var w = Rand([2, 3, 4], 3);
        Assert.Equal([2, 3], v.MatMul(m).Shape);
        Assert.Equal([2, 3], w.MatMul(v).Shape);
        Assert.Equal([], v.MatMul(v).Shape);
        double dot = v.ToArray().Zip(v.ToArray(), (p, q) => p * q).Sum();
        Assert.Equal(dot, v.MatMul(v).Item(), 12);
        var (e1, _) = Reference(v.ToArray(), [1, 4], m.ToArray(), [2, 4, 3], false, false);
        Close(e1, v.MatMul(m).ToArray(), 1e-12, 1e-12);
        var (e2, _) = Reference(w.ToArray(), [2, 3, 4], v.ToArray(), [4, 1], false, false);
        Close(e2, w.MatMul(v).ToArray(), 1e-12, 1e-12);
        Passes(x => x.MatMul(m) * x.Sum(), v);
        Passes(x => w.MatMul(x) * x.Sum(), v);
        Passes(x => x.MatMul(x), v);
    }

    [Fact]
    public void MismatchedShapesThrow()
    {
        Assert.Throws<ArgumentException>(() => Rand([3, 4], 1).MatMul(Rand([5, 2], 2)));
        Assert.Throws<ArgumentException>(() => Rand([2, 3, 4], 1).MatMul(Rand([3, 4, 2], 2)));
    }

    [Theory]
    [InlineData(false, false, new[] { 5 })]
    [InlineData(true, false, new[] { 3, 1 })]
    [InlineData(false, true, new[] { 3, 5 })]
    [InlineData(true, true, new int[0])]
    public void GemmFunction(bool ta, bool tb, int[] cShape)
    {
        var a = Rand(ta ? [4, 3] : [3, 4], 1);
        var b = Rand(tb ? [5, 4] : [4, 5], 2);
        var c = Rand(cShape, 3);
        const double alpha = 0.7, beta = -1.3;
        var (prod, _) = Reference(a.ToArray(), a.Shape, b.ToArray(), b.Shape, ta, tb);
        var cv = c.BroadcastTo([3, 5]).ToArray();
        var expected = prod.Select((p, i) => alpha * p + beta * cv[i]).ToArray();
        Close(expected, Tensor.Gemm(a, b, c, alpha, beta, ta, tb).ToArray(), 1e-12, 1e-12);
        Close(prod, Tensor.Gemm(a, b, transA: ta, transB: tb).ToArray(), 1e-12, 1e-12);
        Passes(x => Tensor.Gemm(x, b, c, alpha, beta, ta, tb) * x.Sum(), a);
        Passes(x => Tensor.Gemm(a, b, x, alpha, beta, ta, tb), c);
    }

    // float32 against float64 on the same inputs: relative error (to the largest entry) below 1e-5
    [Fact]
    public void Float32AgreesWithFloat64()
    {
        var a = Rand([2, 1, 17, 33], 1);
        var b = Rand([3, 33, 19], 2);
        var y64 = a.MatMul(b).ToArray();
        var y32 = Tensor.FromDoubles(a.ToArray(), a.Shape, DType.Float32).MatMul(Tensor.FromDoubles(b.ToArray(), b.Shape, DType.Float32)).ToArray();
        double scale = y64.Max(Math.Abs);
        Close(y64, y32, 0, 1e-5 * scale, "float32 MatMul");
    }

    /// <summary>Straightforward loops over doubles: returns y and its shape.</summary>
    internal static (double[] Y, int[] Shape) Reference(double[] a, int[] sa, double[] b, int[] sb, bool ta, bool tb)
    {
        int m = ta ? sa[^1] : sa[^2], k = ta ? sa[^2] : sa[^1], n = tb ? sb[^2] : sb[^1];
        int rank = Math.Max(sa.Length, sb.Length) - 2;
        int[] ba = [.. Enumerable.Repeat(1, rank - (sa.Length - 2)), .. sa[..^2]];
        int[] bb = [.. Enumerable.Repeat(1, rank - (sb.Length - 2)), .. sb[..^2]];
        var batch = ba.Zip(bb, Math.Max).ToArray();
        int count = batch.Aggregate(1, (p, q) => p * q);
        var y = new double[count * m * n];
        var idx = new int[rank];
        for (int t = 0; t < count; t++)
        {
            int rem = t;
            for (int i = rank - 1; i >= 0; i--) { idx[i] = rem % batch[i]; rem /= batch[i]; }
            int oa = 0, ob = 0;
            for (int i = 0; i < rank; i++)
            {
                oa = oa * ba[i] + (ba[i] == 1 ? 0 : idx[i]);
                ob = ob * bb[i] + (bb[i] == 1 ? 0 : idx[i]);
            }
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int l = 0; l < k; l++)
                        s += a[oa * m * k + (ta ? l * m + i : i * k + l)] * b[ob * k * n + (tb ? j * k + l : l * n + j)];
                    y[(t * m + i) * n + j] = s;
                }
        }
        return (y, [.. batch, m, n]);
    }
}
