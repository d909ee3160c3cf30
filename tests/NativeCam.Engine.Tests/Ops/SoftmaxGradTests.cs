using NativeCam.Engine.Ops;
using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// Softmax, log-softmax and logsumexp over one axis: gradient checks (default tolerances rtol 1e-6, atol 1e-8),
/// values against loops, and the family's identities.
/// </summary>
public class SoftmaxGradTests
{
    public static TheoryData<int> AxesOf3 => new() { 0, 1, 2, -1, -2 };

    [Theory, MemberData(nameof(AxesOf3)), ChecksOp(typeof(SoftmaxOp))]
    public void Softmax(int axis)
    {
        var x = Rand([2, 3, 4], 1, -2, 2);
        Passes(z => z.Softmax(axis), x);
        Passes(z => z.Softmax(axis) * z, x);
    }

    [Theory, MemberData(nameof(AxesOf3)), ChecksOp(typeof(LogSoftmaxOp))]
    public void LogSoftmax(int axis)
    {
        var x = Rand([2, 3, 4], 2, -2, 2);
        Passes(z => z.LogSoftmax(axis), x);
        Passes(z => z.LogSoftmax(axis) * z, x);
    }

    [Theory, ChecksOp(typeof(LogSumExpOp))]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(-1, true)]
    public void LogSumExp(int axis, bool keep)
    {
        var x = Rand([2, 3, 4], 3, -2, 2);
        Passes(z => z.LogSumExp(axis, keep), x);
        Passes(z => z.LogSumExp(axis, keep) * z.Sum([axis], keep), x);
    }

    /// <summary>Softmax, log-softmax and logsumexp of [outer, n, inner] along the middle axis by direct loops.</summary>
    private static (double[] Sm, double[] Lsm, double[] Lse) Loops(double[] x, int outer, int n, int inner)
    {
        var sm = new double[x.Length];
        var lsm = new double[x.Length];
        var lse = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double m = double.NegativeInfinity, s = 0;
                for (int k = 0; k < n; k++) m = Math.Max(m, x[(o * n + k) * inner + i]);
                for (int k = 0; k < n; k++) s += Math.Exp(x[(o * n + k) * inner + i] - m);
                double l = m + Math.Log(s);
                lse[o * inner + i] = l;
                for (int k = 0; k < n; k++)
                {
                    int at = (o * n + k) * inner + i;
                    lsm[at] = x[at] - l;
                    sm[at] = Math.Exp(x[at] - l);
                }
            }
        return (sm, lsm, lse);
    }

    [Theory]
    [InlineData(0, 1, 2, 12)]
    [InlineData(1, 2, 3, 4)]
    [InlineData(2, 6, 4, 1)]
    public void ValuesMatchLoops(int axis, int outer, int n, int inner)
    {
        var x = Rand([2, 3, 4], 4, -3, 3);
        var (sm, lsm, lse) = Loops(x.ToArray(), outer, n, inner);
        Close(sm, x.Softmax(axis).ToArray(), 1e-13, 1e-15, "softmax");
        Close(lsm, x.LogSoftmax(axis).ToArray(), 1e-13, 1e-14, "log-softmax");
        var y = x.LogSumExp(axis);
        Assert.Equal(new[] { 2, 3, 4 }.Where((_, i) => i != axis).ToArray(), y.Shape);
        Close(lse, y.ToArray(), 1e-13, 1e-14, "logsumexp");
        Assert.Equal(new[] { 2, 3, 4 }.Select((d, i) => i == axis ? 1 : d).ToArray(), x.LogSumExp(axis, keepDims: true).Shape);
    }

    [Fact]
    public void Identities()
    {
        var x = Rand([5, 7], 5, -4, 4);
        // rows sum to 1
        var rows = x.Softmax().Sum([1]).ToArray();
        Close(Enumerable.Repeat(1.0, 5).ToArray(), rows, 1e-14, 1e-14, "softmax row sums");
        // logsumexp(x + c) = logsumexp(x) + c; softmax and log-softmax are shift-invariant
        Close(x.LogSumExp().ToArray().Select(v => v + 3.25).ToArray(), (x + 3.25).LogSumExp().ToArray(), 1e-14, 1e-14, "lse shift");
        Close(x.Softmax().ToArray(), (x + 3.25).Softmax().ToArray(), 1e-13, 1e-15, "softmax shift");
        // log-softmax = x − logsumexp = log(softmax)
        Close(x.Softmax().ToArray().Select(v => Math.Log(v)).ToArray(), x.LogSoftmax().ToArray(), 1e-13, 1e-14, "log(softmax)");
        Close((x - x.LogSumExp(-1, keepDims: true)).ToArray(), x.LogSoftmax().ToArray(), 1e-14, 1e-14, "x − lse");
    }

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void LargeInputsStayFinite(DType dtype)
    {
        var x = Tensor.FromDoubles([500, -500, 499, 0, -500, -499.5], [2, 3], dtype);
        var sm = x.Softmax().ToArray();
        var lsm = x.LogSoftmax().ToArray();
        var lse = x.LogSumExp().ToArray();
        Assert.All(sm.Concat(lsm).Concat(lse), v => Assert.True(double.IsFinite(v), $"non-finite {v}"));
        double e1 = Math.Exp(-1);
        Close([1 / (1 + e1), 0, e1 / (1 + e1)], sm[..3], 1e-6, 1e-30, "softmax row 0");
        Close([500 + Math.Log(1 + e1), Math.Log(1 + Math.Exp(-500) + Math.Exp(-499.5))], lse, 1e-6, 1e-12, "logsumexp");
        Close([-Math.Log(1 + e1), -1000 - Math.Log(1 + e1)], [lsm[0], lsm[1]], 1e-6, 0, "log-softmax row 0");
        // gradients stay finite too
        var g = Ad.Grad(z => z.LogSumExp().Sum(), Tensor.FromArray([500.0, -500, 499, 0, -500, -499.5], [2, 3]));
        Assert.All(g.ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void BadAxesThrow()
    {
        var x = Rand([2, 3], 6);
        Assert.Throws<ArgumentException>(() => x.Softmax(2));
        Assert.Throws<ArgumentException>(() => x.LogSoftmax(-3));
        Assert.Throws<ArgumentException>(() => x.LogSumExp(5));
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([2, 0], DType.Float64).Softmax());
    }
}
