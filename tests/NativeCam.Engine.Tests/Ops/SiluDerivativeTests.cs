using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// SiluDerivative (a·silu⁽ᵏ⁾(x), the op SiLU's derivative rules are written with): values of every order against
/// central differences of the order below and, for the kernel's orders, against the coefficient series; float64
/// gradient checks (JVP, VJP, H·v) with both inputs differentiated, which reach two orders above the op's own.
/// </summary>
public class SiluDerivativeTests
{
    private static readonly int[] S = [3, 5];

    [Theory, ChecksOp(typeof(SiluDerivativeOp))]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void GradientChecks(int order)
    {
        // a depends on x, so both of the op's inputs carry derivatives
        Passes(x => SiluDerivativeOp.Apply(order, x, (x * 0.4).Exp() + x), Rand(S, 30 + order, -4, 4));
        // a constant factor
        var a = Rand(S, 40 + order, -2, 2);
        Passes(x => SiluDerivativeOp.Apply(order, x, a), Rand(S, 50 + order, -5, 5));
    }

    [Fact]
    public void EachOrderIsTheDerivativeOfTheOrderBelow()
    {
        var x = Rand([4, 7], 60, -8, 8).ToArray();
        const double h = 1e-5;
        for (int order = 1; order <= 7; order++)
        {
            var got = Of(order, x);
            var fd = Of(order - 1, [.. x.Select(v => v + h)]).Zip(Of(order - 1, [.. x.Select(v => v - h)]), (p, m) => (p - m) / (2 * h)).ToArray();
            Close(fd, got, 1e-6, 1e-7, $"order {order} against differences of order {order - 1}");
        }
    }

    [Fact]
    public void KernelOrdersMatchTheSeries()
    {
        // two derivations of the same function: the kernel's closed forms and the coefficient recurrence
        var x = Rand([5, 9], 61, -30, 30);
        for (int order = 1; order <= SiluDerivativeOrder.Max; order++)
            Close(SiluDerivativeSeries.Evaluate(x, order).ToArray(), Of(order, x.ToArray()), 1e-12, 1e-14, $"order {order}");
    }

    [Fact]
    public void Float32FollowsFloat64()
    {
        var x64 = Rand([3, 11], 62, -10, 10);
        var a64 = Rand([3, 11], 63, -2, 2);
        for (int order = 1; order <= 6; order++)
        {
            var want = SiluDerivativeOp.Apply(order, x64, a64).ToArray();
            var got = SiluDerivativeOp.Apply(order, x64.ToDType(DType.Float32), a64.ToDType(DType.Float32)).ToArray();
            Close(want, got, 1e-5, 1e-5, $"float32 order {order}");
        }
    }

    [Fact]
    public void SiluRulesUseIt()
    {
        // SiLU's H·v against differences of its gradient: silu″(x)·v
        var x = Rand(S, 64, -4, 4);
        var v = Rand(S, 65, -1, 1);
        var (_, hv) = Ad.GradAndHvp(t => t.Silu().Sum(), x, v);
        var want = SiluDerivativeSeries.Evaluate(x, 2) * v;
        Close(want.ToArray(), hv.ToArray(), 1e-12, 1e-14, "H·v of Σ silu");
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SiluDerivativeOp(0));
        Assert.Throws<ArgumentException>(() => SiluDerivativeOp.Apply(1, Rand([2, 3], 1), Rand([3, 2], 2)));
    }

    /// <summary>silu⁽ᵏ⁾ at each point (order 0: SiLU itself).</summary>
    private static double[] Of(int order, double[] x)
    {
        var t = Tensor.FromArray(x, [x.Length]);
        return (order == 0 ? t.Silu() : SiluDerivativeOp.Apply(order, t, t.OnesLike())).ToArray();
    }
}
