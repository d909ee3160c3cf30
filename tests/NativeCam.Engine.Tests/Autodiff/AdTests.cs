using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Autodiff;

public class AdTests
{
    private static Tensor S(double v) => Tensor.Scalar(v, DType.Float64);

    [Fact]
    public void NestedLevelsKeepPerturbationsApart()
    {
        // d/dx [ x · d/dy (x + y) ] = d/dx [ x · 1 ] = 1; confusing the two perturbations gives 2
        var (_, t) = Ad.Jvp(x => x * Ad.Jvp(y => x + y, S(1), S(1)).Tangent, S(3), S(1));
        Assert.Equal(1.0, t.Item(), 12);
        var g = Ad.Grad(x => x * Ad.Grad(y => x * y, S(1)), S(3)); // d/dx [x · x] = 2x
        Assert.Equal(6.0, g.Item(), 12);
    }

    [Fact]
    public void GradAndHvpOfCubicMatchClosedForm()
    {
        // f = Σ x³ → ∇f = 3x², H·v = 6x ⊙ v
        var x = Tensor.FromArray(new double[] { 1, -2, 0.5 }, [3]);
        var v = Tensor.FromArray(new double[] { 0.3, 1, -2 }, [3]);
        var (g, hv) = Ad.GradAndHvp(z => (z * z * z).Sum(), x, v);
        Close([3, 12, 0.75], g.ToArray(), 1e-14, 1e-14);
        Close([1.8, -12, -6], hv.ToArray(), 1e-14, 1e-14);
    }

    [Fact]
    public void ThirdOrderByNestingThreeLevels()
    {
        // d³/dx³ eˣ = eˣ at x = 0.7
        var x = S(0.7);
        Tensor D(Func<Tensor, Tensor> f, Tensor z) => Ad.Jvp(f, z, S(1)).Tangent;
        var d3 = D(a => D(b => Ad.Grad(c => c.Exp(), b), a), x);
        Assert.Equal(Math.Exp(0.7), d3.Item(), 12);
    }

    [Fact]
    public void FunctionIndependentOfInputHasZeroDerivatives()
    {
        var c = Rand([3], 1);
        Assert.All(Ad.Grad(_ => c.Sum(), Rand([2], 2)).ToArray(), v => Assert.Equal(0.0, v));
        Assert.All(Ad.Jvp(_ => c, Rand([2], 2), Rand([2], 3)).Tangent.ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void GradOfNonScalarIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Ad.Grad(z => z * 2.0, Rand([3], 1)));
        Assert.Contains("scalar", e.Message);
    }

    [Fact]
    public void CheckerCatchesAWrongDerivative()
    {
        var report = GradientChecker.Check(x => new WrongSquareOp().Apply(x), Rand([5], 1));
        Assert.False(report.Passes(1e-3, 1e-6));
        Assert.True(report.Jvp.Relative > 0.1);
    }

    [Fact]
    public void CheckerRejectsFloat32() =>
        Assert.Throws<ArgumentException>(() => GradientChecker.Check(x => x, Tensor.Zeros([2])));

    /// <summary>x² with a deliberately wrong derivative (3x instead of 2x).</summary>
    private sealed class WrongSquareOp : UnaryOp
    {
        public override string Name => "WrongSquare";
        protected override Tensor Forward(Tensor x) => (x * x).Value;
        protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => x * dx * 3.0;
        protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => x * dy * 3.0;
    }
}
