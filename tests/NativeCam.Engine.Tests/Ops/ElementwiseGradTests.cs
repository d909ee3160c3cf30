using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// Gradient checks (float64 JVP, VJP, H·v) and value checks of the elementwise math and activation ops, Where and
/// Maximum/Minimum. Smooth ops pass the default tolerances (rtol 1e-6, atol 1e-8); piecewise ops are checked away
/// from their kinks and composed with a smooth function so that H·v is not trivially zero.
/// </summary>
public class ElementwiseGradTests
{
    private static readonly int[] S = [3, 5];

    [Fact, ChecksOp(typeof(LogOp))]
    public void Log() => Passes(x => x.Log(), Rand(S, 1, 0.3, 3));

    [Fact, ChecksOp(typeof(SqrtOp))]
    public void Sqrt() => Passes(x => x.Sqrt(), Rand(S, 2, 0.3, 3));

    [Fact, ChecksOp(typeof(ReciprocalOp))]
    public void Reciprocal()
    {
        Passes(x => x.Reciprocal(), Rand(S, 3, 0.5, 2));
        Passes(x => x.Reciprocal(), Rand(S, 3, -2, -0.5));
    }

    [Fact, ChecksOp(typeof(SquareOp))]
    public void Square() => Passes(x => x.Square() * x, Rand(S, 4));

    [Theory, ChecksOp(typeof(PowScalarOp))]
    [InlineData(3.0)]
    [InlineData(2.5)]
    [InlineData(-1.5)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void PowScalar(double p) => Passes(x => x.Pow(p) * x, Rand(S, 5, 0.4, 2));

    [Fact, ChecksOp(typeof(AbsOp))]
    public void Abs() => Passes(x => x.Abs() * x.Abs() * x + x.Abs(), RandAwayFrom(S, 6, [0]));

    [Fact, ChecksOp(typeof(ErfOp))]
    public void Erf() => Passes(x => x.Erf(), Rand(S, 7, -2.5, 2.5));

    [Fact, ChecksOp(typeof(SigmoidOp))]
    public void Sigmoid() => Passes(x => x.Sigmoid(), Rand(S, 8, -4, 4));

    [Fact, ChecksOp(typeof(TanhOp))]
    public void Tanh() => Passes(x => x.Tanh(), Rand(S, 9, -3, 3));

    [Fact, ChecksOp(typeof(SiluOp))]
    public void Silu() => Passes(x => x.Silu(), Rand(S, 10, -4, 4));

    [Fact, ChecksOp(typeof(GeluOp))]
    public void Gelu() => Passes(x => x.Gelu(), Rand(S, 11, -3, 3));

    [Fact, ChecksOp(typeof(GeluTanhOp))]
    public void GeluTanh() => Passes(x => x.Gelu(approximateTanh: true), Rand(S, 12, -3, 3));

    [Fact, ChecksOp(typeof(HardSigmoidOp))]
    public void HardSigmoid()
    {
        Passes(x => (x.HardSigmoid() * 2.0).Exp(), RandAwayFrom([4, 5], 13, [-2.5, 2.5], lo: -4, hi: 4));
        Passes(x => x.HardSigmoid(-0.5, 0.3) * x, RandAwayFrom([4, 5], 14, [0.6, -1.4], lo: -3, hi: 3));
    }

    [Fact, ChecksOp(typeof(HardSwishOp))]
    public void HardSwish() => Passes(x => x.HardSwish() * x, RandAwayFrom([4, 5], 15, [-3, 3], lo: -5, hi: 5));

    [Fact, ChecksOp(typeof(ReluOp))]
    public void Relu() => Passes(x => (x.Relu() * 0.7).Exp() + x.Relu() * x, RandAwayFrom(S, 16, [0]));

    [Fact, ChecksOp(typeof(LeakyReluOp))]
    public void LeakyRelu() => Passes(x => (x.LeakyRelu(0.1) * 0.7).Exp(), RandAwayFrom(S, 17, [0]));

    [Fact, ChecksOp(typeof(ClipOp))]
    public void Clip()
    {
        Passes(x => (x.Clip(-0.5, 1) * 0.7).Exp() * x, RandAwayFrom([4, 5], 18, [-0.5, 1]));
        Passes(x => x.Clip(0, double.PositiveInfinity).Square(), RandAwayFrom(S, 19, [0]));
        Passes(x => x.Clip(double.NegativeInfinity, 0.25).Square(), RandAwayFrom(S, 20, [0.25]));
    }

    [Fact, ChecksOp(typeof(WhereOp))]
    public void Where()
    {
        var cond = Tensor.FromArray(new double[] { 1, 0, 1 }, [3, 1]);
        var b = Rand([4], 21);
        var a = Rand([2, 3, 4], 22);
        Passes(x => Tensor.Where(cond, x, b) * x, Rand([2, 3, 4], 23));
        Passes(x => Tensor.Where(cond, a, x) * x.Sum(), Rand([4], 24));
        Passes(x => Tensor.Where(cond, x.Exp(), x * x), Rand([2, 3, 4], 25));
        Passes(x => Tensor.Where(cond, x, x.Reshape(3, 1).Square()), Rand([3], 26)); // a, b both broadcast
    }

    [Theory, ChecksOp(typeof(MaximumOp)), ChecksOp(typeof(MinimumOp))]
    [InlineData(new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 })]
    [InlineData(new[] { 3, 1 }, new[] { 2, 1, 5 })]
    public void MaximumAndMinimum(int[] xs, int[] ys)
    {
        var y = Rand(ys, 27, -1.5, 1.5);
        var x = RandAwayFrom(xs, 28, y.ToArray(), gap: 0.02);
        Passes(z => z.Maximum(y) * z, x);
        Passes(z => z.Minimum(y) * z, x);
        Passes(z => y.Maximum(z) * z, x);
        Passes(z => y.Minimum(z).Exp(), x);
    }

    [Fact]
    public void MaximumMinimumTiesGoToTheFirstOperand()
    {
        var a = Tensor.FromArray(new double[] { 1, 2, 3 }, [3]);
        var b = Tensor.FromArray(new double[] { 1, 5, 0 }, [3]);
        Assert.Equal([1.0, 0, 1], Ad.Grad(z => z.Maximum(b).Sum(), a).ToArray());
        Assert.Equal([0.0, 1, 0], Ad.Grad(z => a.Maximum(z).Sum(), b).ToArray());
        Assert.Equal([1.0, 1, 0], Ad.Grad(z => z.Minimum(b).Sum(), a).ToArray());
        Assert.Equal([0.0, 0, 1], Ad.Grad(z => a.Minimum(z).Sum(), b).ToArray());
        Assert.Equal([1.0, 5, 3], a.Maximum(b).ToArray());
        Assert.Equal([1.0, 2, 0], a.Minimum(b).ToArray());
    }

    [Fact]
    public void KinkSubgradients()
    {
        var x = Tensor.FromArray(new double[] { -1, 0, 2 }, [3]);
        Assert.Equal([0.0, 0, 1], Ad.Grad(z => z.Relu().Sum(), x).ToArray()); // ReLU′(0) = 0
        Assert.Equal([0.1, 0.1, 1], Ad.Grad(z => z.LeakyRelu(0.1).Sum(), x).ToArray()); // α at 0
        Assert.Equal([-1.0, 0, 1], Ad.Grad(z => z.Abs().Sum(), x).ToArray()); // sign(0) = 0
        Assert.Equal([0.0, 0, 0], Ad.Grad(z => z.Clip(0, 2).Sum(), x).ToArray()); // 0 at both ends
        var h = Tensor.FromArray(new double[] { -3, 3, 4 }, [3]);
        Assert.Equal([0.0, 1, 1], Ad.Grad(z => z.HardSwish().Sum(), h).ToArray()); // [x ≥ 3] at 3
    }

    /// <summary>Test-side erf by its Maclaurin series (independent of the kernel's series/continued fraction); |x| ≤ 2.5.</summary>
    private static double ErfSeries(double x)
    {
        double sum = 0, term = x; // term = (−1)ⁿ x^(2n+1)/n!
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
            if (Math.Abs(term) < 1e-18) break;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private static double Sig(double v) => 1 / (1 + Math.Exp(-v));

    public static TheoryData<string> Unary => new()
    {
        "Log", "Sqrt", "Reciprocal", "Square", "Pow", "Abs", "Erf", "Sigmoid", "Tanh", "Silu", "Gelu", "GeluTanh",
        "HardSigmoid", "HardSwish", "Relu", "LeakyRelu", "Clip",
    };

    /// <summary>The op and its scalar definition written with Math.*.</summary>
    internal static (Func<Tensor, Tensor> Op, Func<double, double> Expected, double Lo, double Hi) Case(string name) => name switch
    {
        "Log" => (x => x.Log(), Math.Log, 0.1, 5),
        "Sqrt" => (x => x.Sqrt(), Math.Sqrt, 0, 5),
        "Reciprocal" => (x => x.Reciprocal(), v => 1 / v, 0.2, 5),
        "Square" => (x => x.Square(), v => v * v, -3, 3),
        "Pow" => (x => x.Pow(2.5), v => Math.Pow(v, 2.5), 0, 3),
        "Abs" => (x => x.Abs(), Math.Abs, -3, 3),
        "Erf" => (x => x.Erf(), ErfSeries, -2.5, 2.5),
        "Sigmoid" => (x => x.Sigmoid(), Sig, -8, 8),
        "Tanh" => (x => x.Tanh(), Math.Tanh, -4, 4),
        "Silu" => (x => x.Silu(), v => v * Sig(v), -6, 6),
        "Gelu" => (x => x.Gelu(), v => 0.5 * v * (1 + ErfSeries(v / Math.Sqrt(2))), -3.5, 3.5),
        "GeluTanh" => (x => x.Gelu(true), v => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), -4, 4),
        "HardSigmoid" => (x => x.HardSigmoid(), v => Math.Clamp(0.2 * v + 0.5, 0, 1), -4, 4),
        "HardSwish" => (x => x.HardSwish(), v => v * Math.Clamp(v / 6 + 0.5, 0, 1), -5, 5),
        "Relu" => (x => x.Relu(), v => Math.Max(v, 0), -2, 2),
        "LeakyRelu" => (x => x.LeakyRelu(0.2), v => v > 0 ? v : 0.2 * v, -2, 2),
        "Clip" => (x => x.Clip(-0.5, 1), v => Math.Clamp(v, -0.5, 1), -2, 2),
        _ => throw new ArgumentException(name),
    };

    [Theory, MemberData(nameof(Unary))]
    public void ValuesMatchMath(string name)
    {
        var (op, expected, lo, hi) = Case(name);
        var x = Rand([7, 9], 30, lo, hi);
        // rtol 1e-13, atol 1e-14: erf by the kernel (~1e-15) vs a series summed with cancellation; exact GELU's
        // 1 + erf(x/√2) cancels for x ≪ 0, so tiny outputs there are good in absolute, not relative, terms
        Close(Array.ConvertAll(x.ToArray(), v => expected(v)), op(x).ToArray(), 1e-13, 1e-14, name);
    }

    [Fact]
    public void KnownValues()
    {
        var x = Tensor.FromArray(new double[] { 0.5, 1, -2 }, [3]);
        Close([0.5204998778130465, 0.8427007929497149, -0.9953222650189527], x.Erf().ToArray(), 1e-14, 0, "erf");
        Close([0.5 * 0.5 * (1 + 0.3829249225480262), 0.8413447460685429, -2 * 0.022750131948179195], x.Gelu().ToArray(), 1e-13, 0, "gelu");
    }

    [Fact]
    public void WhereValuesMatchLoops()
    {
        var cond = Tensor.FromArray(new double[] { 1, 0, 1 }, [3, 1]);
        var a = Rand([2, 3, 4], 31);
        var b = Rand([4], 32);
        var y = Tensor.Where(cond, a, b).ToArray();
        double[] av = a.ToArray(), bv = b.ToArray(), c = [1, 0, 1];
        var expected = new double[24];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++)
                    expected[(i * 3 + j) * 4 + k] = c[j] != 0 ? av[(i * 3 + j) * 4 + k] : bv[k];
        Assert.Equal(expected, y);
        // a float32 mask works with float64 operands
        var c32 = Tensor.FromArray(new float[] { 1, 0, 1 }, [3, 1]);
        Assert.Equal(expected, Tensor.Where(c32, a, b).ToArray());
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var x = Rand([2, 3], 33);
        Assert.Throws<ArgumentException>(() => x.Clip(1, 0));
        Assert.Throws<ArgumentException>(() => x.Maximum(Rand([4], 1)));
        Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones([4], DType.Float64), x, x));
    }
}
