using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// Float32 results of the elementwise ops, Where, Maximum/Minimum, max/min reductions and the softmax family agree
/// with float64 on the same (float32-representable) inputs to |f32 − f64| ≤ 1e-5·|f64| + 1e-6; gradients of a
/// scalar loss agree to 1e-4·|g| + 1e-5. Inputs keep 0.05 away from kinks, so rounding never changes a branch.
/// </summary>
public class Float32AgreementTests
{
    private const double Rtol = 1e-5, Atol = 1e-6;

    private static (Tensor F64, Tensor F32) Pair(Tensor x)
    {
        var f32 = Tensor.FromDoubles(x.ToArray(), x.Shape, DType.Float32);
        return (Tensor.FromDoubles(f32.ToArray(), x.Shape, DType.Float64), f32); // the same values in both
    }

    private static void Agree(Func<Tensor, Tensor> f, Tensor x, string what)
    {
        var (x64, x32) = Pair(x);
        var y32 = f(x32);
        Assert.Equal(DType.Float32, y32.DType);
        Close(f(x64).ToArray(), y32.ToArray(), Rtol, Atol, what);
        var g64 = Ad.Grad(z => (f(z) * f(z)).Sum(), x64).ToArray();
        var g32 = Ad.Grad(z => (f(z) * f(z)).Sum(), x32).ToArray();
        Close(g64, g32, 1e-4, 1e-5, what + " gradient");
    }

    [Theory, MemberData(nameof(ElementwiseGradTests.Unary), MemberType = typeof(ElementwiseGradTests))]
    public void Unary(string name)
    {
        var (op, _, lo, hi) = ElementwiseGradTests.Case(name);
        lo = Math.Max(lo, name is "Log" or "Sqrt" or "Reciprocal" or "Pow" ? 0.2 : lo);
        Agree(op, RandAwayFrom([6, 7], 1, [0, -0.5, 1, -3, 3, -2.5, 2.5], lo: lo, hi: hi), name);
    }

    [Fact]
    public void WhereMaximumMinimum()
    {
        var cond32 = Tensor.FromArray(new float[] { 1, 0, 1 }, [3, 1]);
        var c64 = Tensor.FromArray(new double[] { 1, 0, 1 }, [3, 1]);
        var (b64, b32) = Pair(Rand([4], 2));
        Tensor Other(Tensor z) => z.DType == DType.Float32 ? b32 : b64;
        var x = RandAwayFrom([2, 3, 4], 3, b64.ToArray(), lo: -1, hi: 1);
        Agree(z => Tensor.Where(z.DType == DType.Float32 ? cond32 : c64, z.Exp(), Other(z)), x, "Where");
        Agree(z => z.Maximum(Other(z)), x, "Maximum");
        Agree(z => Other(z).Minimum(z), x, "Minimum");
    }

    [Fact]
    public void Reductions()
    {
        var x = Rand([3, 4, 5], 4, -3, 3);
        Agree(z => z.Max([1]), x, "Max");
        Agree(z => z.Min([0, 2], keepDims: true), x, "Min");
        Agree(z => z.Max(), x, "Max all");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SoftmaxFamily(int axis)
    {
        var x = Rand([3, 4, 5], 5, -4, 4);
        Agree(z => z.Softmax(axis), x, "Softmax");
        Agree(z => z.LogSoftmax(axis), x, "LogSoftmax");
        Agree(z => z.LogSumExp(axis, keepDims: axis == 0), x, "LogSumExp");
    }
}
