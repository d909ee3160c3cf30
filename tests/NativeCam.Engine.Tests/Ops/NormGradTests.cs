using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Values and gradient checks (first and second order) of BatchNorm and LayerNorm, which are composed of engine ops.</summary>
public class NormGradTests
{
    private const double Eps = 1e-3;

    [Theory]
    [InlineData(new[] { 2, 3, 4, 5 })]
    [InlineData(new[] { 4, 3 })]
    [InlineData(new[] { 1, 3, 5 })]
    public void BatchNormValuesMatchLoops(int[] shape)
    {
        var (x, g, b, m, v) = BatchInputs(shape);
        var y = x.BatchNorm(g, b, m, v, Eps).ToArray();
        var (xs, gs, bs, ms, vs) = (x.ToArray(), g.ToArray(), b.ToArray(), m.ToArray(), v.ToArray());
        int inner = shape.Skip(2).Aggregate(1, (p, q) => p * q);
        var expected = new double[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            int c = i / inner % shape[1];
            expected[i] = (xs[i] - ms[c]) / Math.Sqrt(vs[c] + Eps) * gs[c] + bs[c];
        }
        Close(expected, y, 1e-12, 1e-12);
    }

    // tolerances: float64 central differences, rtol 1e-6 / atol 1e-8 (defaults)
    [Fact]
    public void BatchNormGradients()
    {
        var (x0, g0, b0, m0, v0) = BatchInputs([2, 3, 4, 5]);
        Passes(x => x.BatchNorm(g0, b0, m0, v0, Eps), x0);
        Passes(x => { var y = x.BatchNorm(g0, b0, m0, v0, Eps); return y * y; }, x0);
        Passes(g => x0.BatchNorm(g, b0, m0, v0, Eps), g0);
        Passes(b => x0.BatchNorm(g0, b, m0, v0, Eps), b0);
        Passes(m => x0.BatchNorm(g0, b0, m, v0, Eps), m0);
        Passes(v => x0.BatchNorm(g0, b0, m0, v, Eps), v0); // 1/√(var + eps): genuinely second order
        Passes(g => x0.BatchNorm(g, g * 0.5, g * 0.1, g.Square() + 0.5, Eps), g0);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, -1, true)]
    [InlineData(new[] { 2, 3, 4 }, 1, true)]
    [InlineData(new[] { 2, 3, 4 }, 1, false)]
    [InlineData(new[] { 5, 6 }, 0, true)]
    public void LayerNormValuesMatchLoops(int[] shape, int axis, bool affine)
    {
        var x = Rand(shape, 1, -2, 2);
        int a = axis < 0 ? axis + shape.Length : axis;
        var normalized = shape[a..];
        var g = affine ? Rand(normalized, 2, 0.5, 1.5) : null;
        var b = affine ? Rand([normalized[^1]], 3) : null; // broadcast along the last axis only
        var y = x.LayerNorm(axis, g, b, Eps).ToArray();
        int group = normalized.Aggregate(1, (p, q) => p * q);
        var xs = x.ToArray();
        var expected = new double[xs.Length];
        for (int start = 0; start < xs.Length; start += group)
        {
            var seg = xs.Skip(start).Take(group).ToArray();
            double mu = seg.Average(), var = seg.Select(s => (s - mu) * (s - mu)).Average();
            for (int i = 0; i < group; i++)
            {
                double v = (seg[i] - mu) / Math.Sqrt(var + Eps);
                if (affine) v = v * g!.ToArray()[i] + b!.ToArray()[i % normalized[^1]];
                expected[start + i] = v;
            }
        }
        Close(expected, y, 1e-12, 1e-12);
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, -1)]
    [InlineData(new[] { 2, 3, 4 }, 1)]
    [InlineData(new[] { 3, 5 }, 0)]
    public void LayerNormGradients(int[] shape, int axis)
    {
        var x0 = Rand(shape, 1, -2, 2);
        int a = axis < 0 ? axis + shape.Length : axis;
        var g0 = Rand(shape[a..], 2, 0.5, 1.5);
        var b0 = Rand(shape[a..], 3);
        // through mean, variance and (var + eps)^(−1/2): H·v exercises every op's second-order rule
        Passes(x => x.LayerNorm(axis, eps: Eps), x0);
        Passes(x => x.LayerNorm(axis, g0, b0, Eps), x0);
        Passes(g => x0.LayerNorm(axis, g, b0, Eps), g0);
        Passes(b => x0.LayerNorm(axis, g0, b, Eps), b0);
        Passes(g => (x0 * g.Sum()).LayerNorm(axis, g, g, Eps), g0);
    }

    [Fact]
    public void InvalidParametersThrow()
    {
        var x = Rand([2, 3, 4], 1);
        var c3 = Rand([3], 2);
        Assert.Throws<ArgumentException>(() => x.BatchNorm(Rand([4], 2), c3, c3, c3));
        Assert.Throws<ArgumentException>(() => Rand([3], 1).BatchNorm(c3, c3, c3, c3));
        Assert.Throws<ArgumentException>(() => x.LayerNorm(3));
        Assert.Throws<ArgumentException>(() => x.LayerNorm(-1, Rand([3], 2)));
        Assert.Throws<ArgumentException>(() => x.LayerNorm(2, Rand([3, 4], 2)));
    }

    // float32 against float64 on the same inputs: values and gradients within 1e-5 of the largest entry
    [Fact]
    public void Float32AgreesWithFloat64()
    {
        static Tensor F32(Tensor t) => Tensor.FromDoubles(t.ToArray(), t.Shape, DType.Float32);
        var (x, g, b, m, v) = BatchInputs([2, 3, 4, 5]);
        var lg = Rand([4, 5], 6, 0.5, 1.5);
        foreach (var f in new Func<Tensor[], Tensor>[]
                 {
                     t => t[0].BatchNorm(t[1], t[2], t[3], t[4], Eps),
                     t => t[0].LayerNorm(2, t[5], t[5] * 0.3, Eps),
                 })
        {
            Tensor[] in64 = [x, g, b, m, v, lg];
            Tensor[] in32 = [.. in64.Select(F32)];
            var y64 = f(in64).ToArray();
            Close(y64, f(in32).ToArray(), 0, 1e-5 * y64.Max(Math.Abs), "float32 value");
            Tensor Loss(Tensor[] t) { var y = f(t); return (y * y).Sum(); }
            var g64 = Ad.Grad(Loss, in64);
            var g32 = Ad.Grad(Loss, in32);
            for (int i = 0; i < in64.Length; i++)
            {
                var e = g64[i].ToArray();
                Close(e, g32[i].ToArray(), 0, 1e-5 * Math.Max(e.Max(Math.Abs), 1e-30), $"float32 gradient {i}");
            }
        }
    }

    private static (Tensor X, Tensor Gamma, Tensor Beta, Tensor Mean, Tensor Var) BatchInputs(int[] shape)
    {
        int c = shape[1];
        return (Rand(shape, 1, -2, 2), Rand([c], 2, 0.5, 1.5), Rand([c], 3), Rand([c], 4), Rand([c], 5, 0.2, 2));
    }
}
