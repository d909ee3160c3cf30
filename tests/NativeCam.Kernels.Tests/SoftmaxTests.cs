using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>Softmax, log-softmax and logsumexp against the float64 reference, on every backend.</summary>
public class SoftmaxTests
{
    private static readonly DType[] Types = [DType.Float32, DType.Float64];

    /// <summary>A [2, 5, 7, 13]-like spread of axis positions: first, middle and last axis, Inner = 1 and &gt; 1.</summary>
    private static IEnumerable<AxisParams> Cases()
    {
        yield return new(1, 7, 1);
        yield return new(3, 13, 1);
        yield return new(5, 33, 1);
        yield return new(2, 100, 1);
        yield return new(4, 1000, 1);
        yield return new(1, 5, 91);   // axis 0 of [5, 7, 13]
        yield return new(5, 7, 13);   // axis 1
        yield return new(35, 13, 1);  // last axis
        yield return new(2, 17, 33);
        yield return new(3, 1, 17);
        yield return new(2, 3, 200);
    }

    private enum Op { Softmax, LogSoftmax, LogSumExp }

    private static double[] Run(IKernels k, Op op, AxisParams p, double[] xs, DType t)
    {
        using var x = Backends.Upload(k, xs, t);
        using var y = k.Allocate(t, op == Op.LogSumExp ? p.Outer * p.Inner : xs.Length);
        k.Fill(y, 777);
        switch (op)
        {
            case Op.Softmax: k.Softmax(p, x, y); break;
            case Op.LogSoftmax: k.LogSoftmax(p, x, y); break;
            default: k.LogSumExp(p, x, y); break;
        }
        return Backends.Download(k, y);
    }

    private static double[] Expected(Op op, AxisParams p, double[] xs) => op switch
    {
        Op.Softmax => SoftmaxReference.Softmax(p, xs),
        Op.LogSoftmax => SoftmaxReference.LogSoftmax(p, xs),
        _ => SoftmaxReference.LogSumExp(p, xs),
    };

    private static void Check(IKernels k, AxisParams p, double[] xs, DType t, string what)
    {
        var xr = xs.Select(v => t == DType.Float32 ? (float)v : v).ToArray();
        foreach (var op in Enum.GetValues<Op>())
        {
            var got = Run(k, op, p, xs, t);
            double tol = Backends.Tol(t, p.Axis);
            // relative for large log outputs (±2000), absolute for log-softmax near 0 (log of a sum rounded near 1)
            PoolingTests.AssertNear(Expected(op, p, xr), got, tol, tol, $"{what} {op} {p} {t}");
        }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void MatchesReference(string backend)
    {
        using var k = SimdPaths.Create(backend);
        int seed = 1;
        foreach (var p in Cases())
            foreach (var t in Types)
            {
                int n = p.Outer * p.Axis * p.Inner;
                Check(k, p, Backends.Random(n, seed++, -4, 4), t, "random");
                Check(k, p, Backends.Random(n, seed++, -1000, 1000), t, "±1000");
                Check(k, p, Backends.Random(n, seed++, 990, 1000), t, "near 1000");
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void RowsSumToOneWithoutOverflow(string backend)
    {
        using var k = SimdPaths.Create(backend);
        foreach (var p in Cases())
            foreach (var t in Types)
            {
                var xs = Backends.Random(p.Outer * p.Axis * p.Inner, 42, -1000, 1000);
                for (int i = 0; i < xs.Length; i += 4) xs[i] = -1e30 * (i % 8 == 0 ? 1 : -1e-30);
                var y = Run(k, Op.Softmax, p, xs, t);
                Assert.All(y, v => Assert.True(double.IsFinite(v) && v >= 0 && v <= 1, $"softmax value {v}"));
                for (int o = 0; o < p.Outer; o++)
                    for (int i = 0; i < p.Inner; i++)
                    {
                        double s = 0;
                        for (int a = 0; a < p.Axis; a++) s += y[(o * p.Axis + a) * p.Inner + i];
                        Assert.True(Math.Abs(s - 1) <= Backends.Tol(t, p.Axis) * 4, $"row sum {s} for {p} {t}");
                    }
                Assert.All(Run(k, Op.LogSoftmax, p, xs, t), v => Assert.True(double.IsFinite(v) && v <= 1e-6, $"log-softmax {v}"));
                Assert.All(Run(k, Op.LogSumExp, p, xs, t), v => Assert.True(double.IsFinite(v), $"logsumexp {v}"));
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void NegativeInfinityRows(string backend)
    {
        using var k = SimdPaths.Create(backend);
        foreach (var p in Cases())
            foreach (var t in Types)
            {
                // masked entries (−∞) get probability 0; columns whose every entry is −∞ follow the documented rule
                var xs = Backends.Random(p.Outer * p.Axis * p.Inner, 9, -3, 3);
                for (int i = 0; i < xs.Length; i += 3) xs[i] = double.NegativeInfinity;
                for (int a = 0; a < p.Axis; a++) xs[a * p.Inner] = double.NegativeInfinity; // column (0, 0) is all −∞
                Check(k, p, xs, t, "-inf");
                var sm = Run(k, Op.Softmax, p, xs, t);
                Assert.True(double.IsNaN(sm[0]), "softmax of an all −∞ column is NaN");
                Assert.True(double.IsNegativeInfinity(Run(k, Op.LogSoftmax, p, xs, t)[0]), "log-softmax of an all −∞ column is −∞");
                Assert.True(double.IsNegativeInfinity(Run(k, Op.LogSumExp, p, xs, t)[0]), "logsumexp of an all −∞ column is −∞");
            }
    }
}
