using NativeCam.Engine.Ops;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Gradient checks of the broadcasting arithmetic ops and the linear helpers.</summary>
public class ArithmeticGradTests
{
    public static TheoryData<int[], int[]> Shapes => new()
    {
        { [2, 3, 4], [2, 3, 4] },
        { [2, 3, 4], [3, 1] },
        { [4], [2, 3, 4] },
        { [2, 1, 5], [1, 3, 1] },
        { [], [3, 2] },
    };

    [Theory, MemberData(nameof(Shapes)), ChecksOp(typeof(AddOp))]
    public void Add(int[] a, int[] b)
    {
        var y = Rand(b, 2);
        Passes(x => x + y, Rand(a, 1));
        Passes(x => y + x * x, Rand(a, 1)); // quadratic through the add, so H·v is not zero
    }

    [Theory, MemberData(nameof(Shapes)), ChecksOp(typeof(SubOp))]
    public void Sub(int[] a, int[] b)
    {
        var y = Rand(b, 2);
        Passes(x => x - y, Rand(a, 1));
        Passes(x => y - x * x, Rand(a, 1));
    }

    [Theory, MemberData(nameof(Shapes)), ChecksOp(typeof(MulOp))]
    public void Mul(int[] a, int[] b)
    {
        var y = Rand(b, 2);
        Passes(x => x * y, Rand(a, 1));
        Passes(x => x * x * y, Rand(a, 1));
    }

    [Theory, MemberData(nameof(Shapes)), ChecksOp(typeof(DivOp))]
    public void Div(int[] a, int[] b)
    {
        var y = Rand(b, 2, 0.5, 2);
        Passes(x => x / y, Rand(a, 1));
        Passes(x => y / x, Rand(a, 1, 0.5, 2));
        Passes(x => x / (x * x + 1.0), Rand(a, 1));
    }

    [Fact, ChecksOp(typeof(NegOp)), ChecksOp(typeof(AffineOp))]
    public void NegAndAffine()
    {
        Passes(x => -x, Rand([3, 5], 1));
        Passes(x => (x * 3.0 - 1.5) * x, Rand([3, 5], 1));
    }

    [Fact, ChecksOp(typeof(ExpOp))]
    public void Exp() => Passes(x => x.Exp(), Rand([4, 7], 3, -3, 3));

    [Fact, ChecksOp(typeof(ReshapeOp))]
    public void Reshape() => Passes(x => x.Reshape(6, -1) * x.Reshape(6, 4), Rand([2, 3, 4], 4));

    [Fact, ChecksOp(typeof(BroadcastToOp))]
    public void BroadcastTo() => Passes(x => x.BroadcastTo([2, 3, 4]) * x.BroadcastTo([2, 3, 4]), Rand([3, 1], 5));

    [Theory, ChecksOp(typeof(SumOp))]
    [InlineData(new[] { 0 }, false)]
    [InlineData(new[] { 1, 2 }, true)]
    [InlineData(new[] { 0, 2 }, false)]
    [InlineData(new int[0], false)]
    public void Sum(int[] axes, bool keep)
    {
        Passes(x => x.Sum(axes, keep), Rand([2, 3, 4], 6));
        Passes(x => (x * x).Sum(axes, keep) * x.Sum(axes, keep), Rand([2, 3, 4], 6));
    }

    [Fact]
    public void BroadcastValuesMatchHandComputation()
    {
        var a = Tensor.FromArray(new double[] { 1, 2, 3 }, [3, 1]);
        var b = Tensor.FromArray(new double[] { 10, 20 }, [2]);
        Assert.Equal(new double[] { 11, 21, 12, 22, 13, 23 }, (a + b).ToArray());
        Assert.Equal(new double[] { 10, 20, 20, 40, 30, 60 }, (a * b).ToArray());
        Assert.Equal(new double[] { 6 }, a.Sum().ToArray());
    }
}
