using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>Max/average pooling and the average-pool adjoint against the float64 reference, on every backend.</summary>
public class PoolingTests
{
    private static readonly DType[] Types = [DType.Float32, DType.Float64];

    /// <summary>Odd shapes covering kernels 1..7, strides 1..3, dilation, asymmetric pads and wide SIMD rows.</summary>
    private static IEnumerable<Pool2dParams> Cases()
    {
        yield return new(2, 3, 7, 13, 1, 1);
        yield return new(2, 3, 8, 17, 2, 2, 2, 2);
        yield return new(1, 2, 7, 13, 2, 2, 2, 2, CeilMode: true);
        yield return new(1, 3, 7, 33, 3, 3, 1, 1, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        yield return new(2, 2, 13, 17, 3, 3, 2, 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        yield return new(2, 2, 13, 17, 3, 3, 2, 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, CeilMode: true);
        yield return new(1, 2, 12, 17, 5, 5, 3, 3, PadTop: 0, PadLeft: 1, PadBottom: 2, PadRight: 1);
        yield return new(1, 2, 12, 17, 5, 5, 3, 3, PadTop: 0, PadLeft: 1, PadBottom: 2, PadRight: 1, CeilMode: true);
        yield return new(1, 2, 11, 33, 7, 7, 1, 1, PadTop: 3, PadLeft: 3, PadBottom: 3, PadRight: 3);
        yield return new(1, 2, 9, 21, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2);
        yield return new(1, 2, 9, 21, 3, 3, 2, 3, 2, 2, 0, 1, 2, 1, CeilMode: true);
        yield return new(2, 1, 6, 13, 3, 3, 3, 3, PadTop: 0, PadLeft: 1, PadBottom: 2, PadRight: 1);
        yield return new(1, 1, 5, 70, 2, 3, 1, 2, PadTop: 1, PadLeft: 1, PadBottom: 0, PadRight: 1);
        yield return new(1, 2, 6, 67, 3, 3, 2, 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        yield return new(1, 2, 11, 38, 3, 3, 2, 2, PadTop: 1, PadLeft: 1, PadBottom: 0, PadRight: 0); // 3×3/2 fast path: uneven pads
        yield return new(1, 1, 9, 41, 3, 3, 2, 2, PadTop: 0, PadLeft: 0, PadBottom: 1, PadRight: 1, CeilMode: true);
        yield return new(1, 1, 3, 4095, 3, 3, 2, 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1); // the fast path's widest rows (2048)
        yield return new(1, 1, 3, 4200, 3, 3, 2, 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1); // wider: the general kernel
        yield return new(1, 1, 4, 100, 3, 3, 1, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, CeilMode: true);
    }

    private static IEnumerable<Pool2dParams> AllCases() =>
        Cases().SelectMany(p => new[] { p, p with { CountIncludePad = true } });

    [Fact]
    public void CasesExerciseCeilMode()
    {
        Assert.Contains(Cases(), p => p.CeilMode && (p.OH != (p with { CeilMode = false }).OH || p.OW != (p with { CeilMode = false }).OW));
        foreach (var p in Cases())
        {
            Assert.Equal(PoolingReference.OutSize(p.H, p.KH, p.StrideH, p.DilationH, p.PadTop, p.PadBottom, p.CeilMode), p.OH);
            Assert.Equal(PoolingReference.OutSize(p.W, p.KW, p.StrideW, p.DilationW, p.PadLeft, p.PadRight, p.CeilMode), p.OW);
        }
    }

    private static int InLen(Pool2dParams p) => p.N * p.C * p.H * p.W;
    private static int OutLen(Pool2dParams p) => p.N * p.C * p.OH * p.OW;

    /// <summary>Exact equality, infinities included; NaN equals NaN.</summary>
    internal static void AssertSame(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!expected[i].Equals(actual[i])) Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }

    /// <summary>Like <see cref="Backends.AssertClose"/>, but equal infinities (and NaN with NaN) also match.</summary>
    internal static void AssertNear(double[] expected, double[] actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (e.Equals(a)) continue;
            if (!(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}: element {i} is {a}, expected {e} (rtol {rtol}, atol {atol})");
        }
    }

    private static void CheckMax(IKernels k, Pool2dParams p, double[] xs, DType t, string what)
    {
        var xr = xs.Select(v => t == DType.Float32 ? (float)v : v).ToArray();
        var (ey, ei) = PoolingReference.MaxPool(p, xr);
        using var x = Backends.Upload(k, xs, t);
        using var y = k.Allocate(t, OutLen(p));
        using var idx = k.Allocate(DType.Int32, OutLen(p));
        k.MaxPool2d(p, x, y, idx);
        var ai = new int[OutLen(p)];
        k.Download<int>(idx, ai);
        AssertSame(ey, Backends.Download(k, y), $"{what} max {p} {t}");
        for (int i = 0; i < ai.Length; i++)
            if (ai[i] != ei[i]) Assert.Fail($"{what} argIndex {p} {t}: element {i} is {ai[i]}, expected {ei[i]}");
        using var y2 = k.Allocate(t, OutLen(p));
        k.MaxPool2d(p, x, y2, null);
        AssertSame(ey, Backends.Download(k, y2), $"{what} max (no index) {p} {t}");
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void MaxPoolMatchesReference(string backend)
    {
        using var k = SimdPaths.Create(backend);
        int seed = 1;
        foreach (var p in Cases())
            foreach (var t in Types)
            {
                CheckMax(k, p, Backends.Random(InLen(p), seed++), t, "random");
                // small integers: many ties, the first maximum in row-major window order must win
                CheckMax(k, p, Backends.Random(InLen(p), seed++).Select(v => Math.Floor(2 * v)).ToArray(), t, "ties");
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void MaxPoolPropagatesNaNAndInfinity(string backend)
    {
        using var k = SimdPaths.Create(backend);
        foreach (var p in Cases())
            foreach (var t in Types)
            {
                var xs = Backends.Random(InLen(p), 7).Select(v => Math.Floor(3 * v)).ToArray();
                for (int i = 0; i < xs.Length; i += 11) xs[i] = double.NaN;
                for (int i = 3; i < xs.Length; i += 5) xs[i] = double.NegativeInfinity;
                CheckMax(k, p, xs, t, "nan");
                CheckMax(k, p, Enumerable.Repeat(double.NegativeInfinity, InLen(p)).ToArray(), t, "all -inf");
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void AvgPoolMatchesReference(string backend)
    {
        using var k = SimdPaths.Create(backend);
        int seed = 100;
        foreach (var p in AllCases())
            foreach (var t in Types)
            {
                var xs = Backends.Random(InLen(p), seed++);
                using var x = Backends.Upload(k, xs, t);
                using var y = k.Allocate(t, OutLen(p));
                k.AvgPool2d(p, x, y);
                Backends.AssertClose(PoolingReference.AvgPool(p, xs), Backends.Download(k, y), Backends.Tol(t, p.KH * p.KW),
                    Backends.Tol(t, p.KH * p.KW), $"avg {p} {t}");
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void AvgPoolBackwardIsTheAdjoint(string backend)
    {
        using var k = SimdPaths.Create(backend);
        int seed = 200;
        foreach (var p in AllCases())
            foreach (var t in Types)
            {
                var xs = Backends.Random(InLen(p), seed++);
                var dys = Backends.Random(OutLen(p), seed++);
                using var x = Backends.Upload(k, xs, t);
                using var y = k.Allocate(t, OutLen(p));
                using var dy = Backends.Upload(k, dys, t);
                using var dx = Backends.Upload(k, Enumerable.Repeat(12345.0, InLen(p)).ToArray(), t); // written, not accumulated
                k.AvgPool2d(p, x, y);
                k.AvgPool2dBackward(p, dy, dx);
                var dxs = Backends.Download(k, dx);
                double tol = Backends.Tol(t, p.KH * p.KW);
                Backends.AssertClose(PoolingReference.AvgPoolBackward(p, dys), dxs, tol, tol, $"avg backward {p} {t}");
                var ys = Backends.Download(k, y);
                double lhs = dys.Zip(ys, (a, b) => a * b).Sum(), rhs = dxs.Zip(xs, (a, b) => a * b).Sum();
                Assert.True(Math.Abs(lhs - rhs) <= tol * (1 + dys.Length), $"⟨dy, Ax⟩ = {lhs} but ⟨Aᵀdy, x⟩ = {rhs} for {p} {t}");
            }
    }

    [Theory, MemberData(nameof(SimdPaths.Names), MemberType = typeof(SimdPaths))]
    public void RejectsMismatchedLengths(string backend)
    {
        using var k = Backends.Create(backend);
        var p = new Pool2dParams(1, 1, 4, 4, 2, 2, 2, 2);
        using var x = k.Allocate(DType.Float32, 16);
        using var y = k.Allocate(DType.Float32, 5);
        Assert.Throws<ArgumentException>(() => k.AvgPool2d(p, x, y));
    }
}

/// <summary>The backends of <see cref="Backends"/> (emulated Vector512 included where AVX-512 is missing).</summary>
public static class SimdPaths
{
    /// <summary>Backend names as theory data.</summary>
    public static TheoryData<string> Names => Backends.Names;

    /// <summary>Creates the backend of that name.</summary>
    public static IKernels Create(string name) => Backends.Create(name);
}
