using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// The one-pass derivative ops: the ReLU/Clip gate (against the 0/1 mask and product it replaces, and float64
/// gradient checks), and SiLU's and the broadcasting product's value-and-tangent passes (bit for bit the op's own
/// Forward and Jvp, on every SIMD path, for every tangent pattern, on lengths that leave ragged tails and span several
/// parallel chunks).
/// </summary>
public class FusedDerivativeTests
{
    private static readonly int[] Lengths = [1, 17, 1000, 70001];

    private static IEnumerable<CpuKernels> Cpus()
    {
        foreach (var simd in new[] { SimdLevel.Scalar, SimdLevel.Vector256, SimdLevel.Vector512 })
            if (simd == SimdLevel.Scalar || CpuKernels.IsSupported(simd)) yield return new CpuKernels(simd, 2);
    }

    private static Tensor Values(int n, int seed, DType dtype, IKernels backend, double lo = -6, double hi = 6) =>
        Tensor.Uniform([n], seed, lo, hi, dtype, backend);

    [Fact, ChecksOp(typeof(GateOp))]
    public void GateGradientChecks()
    {
        var g = RandAwayFrom([3, 4, 5], 1, [0, 0.4]);
        Passes(t => GateOp.Relu(g, t.Exp()) * t, Rand([3, 4, 5], 2));
        Passes(t => GateOp.Clip(g, 0, 0.4, t * t) + t, Rand([3, 4, 5], 3));
        // the gate read off a function of the input itself: piecewise constant, so no derivative flows through it
        Passes(t => GateOp.Relu(t, t * t).Sum() * t, RandAwayFrom([2, 7], 4, [0]));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void GateEqualsTheMaskItReplaces(DType dtype)
    {
        foreach (var cpu in Cpus())
            foreach (int n in Lengths)
            {
                var g = Values(n, n, dtype, cpu, -1, 7);
                var t = Values(n, n + 1, dtype, cpu);
                Assert.Equal((Elementwise.Constant(UnaryKind.GreaterScalar, g, 0) * t).ToArray(), GateOp.Relu(g, t).ToArray());
                Assert.Equal((Elementwise.Constant(UnaryKind.InRange, g, 0, 6) * t).ToArray(), GateOp.Clip(g, 0, 6, t).ToArray());
            }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void GatedValueAndTangentAreForwardAndJvp(DType dtype)
    {
        foreach (var cpu in Cpus())
            foreach (int n in Lengths)
            {
                var g = Values(n, 5 * n, dtype, cpu, -1, 7);
                var (t, dt) = (Values(n, 5 * n + 1, dtype, cpu), Values(n, 5 * n + 2, dtype, cpu));
                AssertIsForwardAndJvp(new GateOp(g, 0, 6), [t], [dt], $"{cpu.Simd} n={n}");
            }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void SiluValueAndTangentAreForwardAndJvp(DType dtype)
    {
        foreach (var cpu in Cpus())
            foreach (int n in Lengths)
            {
                var x = Values(n, 10 + n, dtype, cpu, -12, 12);
                var dx = Values(n, 11 + n, dtype, cpu);
                AssertIsForwardAndJvp(new SiluOp(), [x], [dx], $"{cpu.Simd} n={n}");
            }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void SiluDerivativeValueAndTangentAreForwardAndJvp(DType dtype)
    {
        foreach (var cpu in Cpus())
            foreach (int n in Lengths)
                for (int order = 1; order < SiluDerivativeOrder.Max; order++)
                    foreach (var (hasDx, hasDa) in new[] { (true, true), (true, false), (false, true) })
                    {
                        Tensor[] x = [Values(n, 20 + n, dtype, cpu, -12, 12), Values(n, 21 + n, dtype, cpu, -2, 2)];
                        Tensor?[] dx = [hasDx ? Values(n, 22 + n, dtype, cpu) : null, hasDa ? Values(n, 23 + n, dtype, cpu) : null];
                        AssertIsForwardAndJvp(new SiluDerivativeOp(order), x, dx, $"{cpu.Simd} n={n} order {order} dx {hasDx} da {hasDa}");
                    }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ProductValueAndTangentAreForwardAndJvp(DType dtype)
    {
        (int[] A, int[] B)[] shapes = [([3, 70001], [3, 70001]), ([2, 40, 7, 7], [2, 40, 1, 1]), ([1, 9, 1, 1], [1, 9, 17, 17]), ([5, 1, 3], [4, 1])];
        int seed = 40;
        foreach (var cpu in Cpus())
            foreach (var (sa, sb) in shapes)
                foreach (var (hasDa, hasDb) in new[] { (true, true), (true, false), (false, true) })
                {
                    Tensor[] x = [Tensor.Uniform(sa, seed++, -3, 3, dtype, cpu), Tensor.Uniform(sb, seed++, -3, 3, dtype, cpu)];
                    Tensor?[] dx = [hasDa ? Tensor.Uniform(sa, seed++, -1, 1, dtype, cpu) : null, hasDb ? Tensor.Uniform(sb, seed++, -1, 1, dtype, cpu) : null];
                    AssertIsForwardAndJvp(new MulOp(), x, dx, $"{cpu.Simd} [{string.Join(",", sa)}]·[{string.Join(",", sb)}] da {hasDa} db {hasDb}");
                }
    }

    [Fact, ChecksOp(typeof(MulOp))]
    public void ProductGradientChecksThroughTheOnePass()
    {
        // H·v runs the backward sweep over duals: every product there (the cotangents ȳ·b and ȳ·a) takes the one pass
        Passes(t => (t * t.Exp()).Sum() * t, Rand([2, 3, 4, 4], 5));
        var scale = Rand([2, 3, 1, 1], 6);
        Passes(t => t * (t.Sum() * scale).Exp() * t, Rand([2, 3, 4, 4], 7));
    }

    /// <summary>The op's one-pass value and tangent are, bit for bit, its Forward and its Jvp.</summary>
    private static void AssertIsForwardAndJvp(Op op, Tensor[] x, Tensor?[] dx, string what)
    {
        var (y, dy) = op.ForwardWithTangent(x, dx)!.Value;
        var y0 = op.Forward(x);
        Assert.True(y0.ToArray().SequenceEqual(y.ToArray()), $"{op.Name} value, {what}");
        Assert.True(op.Jvp(x, y0, dx).ToArray().SequenceEqual(dy.ToArray()), $"{op.Name} tangent, {what}");
    }

    [Fact]
    public void OrdersWithoutTheNextOneAndZeroTangentsFallBack()
    {
        var x = Rand([5], 30);
        var op = new SiluDerivativeOp(SiluDerivativeOrder.Max);
        Assert.Null(op.ForwardWithTangent([x, x], [x, x]));
        Assert.Null(new SiluDerivativeOp(1).ForwardWithTangent([x, x], [null, null]));
        Assert.Null(new SiluOp().ForwardWithTangent([x], [null]));
        Assert.Null(new MulOp().ForwardWithTangent([x, x], [null, null]));
    }
}
