using System.Collections.Concurrent;
using NativeCam.Kernels;
using NativeCam.Kernels.Tests.Reference;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>Every unary kind on every backend, float32 and float64, against the float64 reference.</summary>
public class UnaryTests
{
    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 33, 1000, 100003];

    /// <summary>Per kind: (alpha, beta, input ranges cycled over the elements, special values put first).</summary>
    private static (double A, double B, (double Lo, double Hi)[] Ranges, double[] Specials) Case(UnaryKind k) => k switch
    {
        UnaryKind.Exp => (0, 0, [(-100, 88), (-2, 2)], [0, -1e4, double.NegativeInfinity]),
        UnaryKind.Log or UnaryKind.Sqrt or UnaryKind.Rsqrt => (0, 0, [(1e-3, 1000), (0.5, 2)], [1, double.PositiveInfinity]),
        UnaryKind.Reciprocal => (0, 0, [(0.01, 100), (-100, -0.01)], [1]),
        UnaryKind.Sigmoid or UnaryKind.Silu => (0, 0, [(-120, 120), (-6, 6)], [0, 1e4, -1e4, -1000, 1000]),
        UnaryKind.Tanh => (0, 0, [(-25, 25), (-1, 1), (-0.01, 0.01)], [0, 1e4, -1e4, double.PositiveInfinity, double.NegativeInfinity, 1e-30]),
        UnaryKind.Erf => (0, 0, [(-7, 7), (-1, 1), (-3.5, 3.5)], [0, 1e4, -1e4, 1e-30, 3, -3, 6]),
        UnaryKind.Gelu or UnaryKind.GeluTanh => (0, 0, [(-10, 10), (-3, 3)], [0, 50, -50]),
        UnaryKind.LeakyRelu => (0.1, 0, [(-3, 3)], [0]),
        UnaryKind.Clip => (-0.5, 0.7, [(-3, 3)], []),
        UnaryKind.HardSigmoid => (0.2, 0.5, [(-6, 6)], []),
        UnaryKind.HardSwish => (0, 0, [(-6, 6)], [0]),
        UnaryKind.Affine => (1.5, -0.25, [(-10, 10)], []),
        UnaryKind.InRange => (-0.3, 0.4, [(-1, 1)], []),
        UnaryKind.GreaterScalar => (0.1, 0, [(-1, 1)], []),
        UnaryKind.SiluDerivative => (2, 0, [(-40, 40), (-6, 6), (-1.5, 1.5)], [0, 1e4, -1e4, -1000, 1000, -1.2785]),
        _ => (0, 0, [(-5, 5)], [0]),
    };

    private static readonly ConcurrentDictionary<(UnaryKind, double, int), (double[] X, double[] Y)> Cache = new();

    private static (double[] X, double[] Y) Data(UnaryKind kind, double a, double b, int n)
    {
        return Cache.GetOrAdd((kind, a, n), _ =>
        {
            var c = Case(kind);
            var x = new double[n];
            var parts = c.Ranges.Select((r, i) => R.RandomF(n, 17 + i, r.Lo, r.Hi)).ToArray();
            for (int i = 0; i < n; i++) x[i] = i < c.Specials.Length ? c.Specials[i] : parts[i % parts.Length][i];
            return (x, x.Select(v => R.Unary(kind, v, a, b)).ToArray());
        });
    }

    public static TheoryData<string, DType, UnaryKind> Cases()
    {
        var d = new TheoryData<string, DType, UnaryKind>();
        foreach (var name in Backends.Names)
            foreach (var t in new[] { DType.Float32, DType.Float64 })
                foreach (var k in Enum.GetValues<UnaryKind>())
                    if (k != UnaryKind.PowScalar) d.Add(name, t, k);
        return d;
    }

    private static void Check(IKernels k, DType t, UnaryKind kind, double a, double b, int n, (double[] X, double[] Y) data)
    {
        var x = Backends.Upload(k, data.X, t);
        var y = k.Allocate(t, n);
        k.Unary(kind, x, y, a, b);
        var got = Backends.Download(k, y);
        // float32: the result rounded from float64, within a few ulps; float64: near-correct rounding
        bool f = t == DType.Float32;
        double rtol = f ? 4e-6 : 2e-14, atol = f ? 1e-6 : 1e-15;
        if (!f && kind is UnaryKind.Gelu or UnaryKind.GeluTanh) atol = 1e-14;
        // sums of terms up to ~|x|·σ′ and k·σ⁽ᵏ⁻¹⁾ that cancel near the roots: absolute error a few ulps of the terms
        if (kind is UnaryKind.SiluDerivative) atol = f ? 2e-6 : 2e-14;
        R.AssertClose(R.AsStored(data.Y, t), got, rtol, atol, $"{k.Name} {t} {kind} n={n}");
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesReference(string backend, DType t, UnaryKind kind)
    {
        using var k = Backends.Create(backend);
        var c = Case(kind);
        foreach (int n in Lengths) Check(k, t, kind, c.A, c.B, n, Data(kind, c.A, c.B, n));
    }

    [Theory, MemberData(nameof(BackendTypes))]
    public void PowScalarExponents(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        foreach (double a in new[] { 0.0, 1, 2, -1, 2.5, 3 })
            foreach (int n in new[] { 17, 1000 })
            {
                var x = R.RandomF(n, 5, 0.05, 4);
                Check(k, t, UnaryKind.PowScalar, a, 0, n, (x, x.Select(v => Math.Pow(v, a)).ToArray()));
            }
    }

    [Theory, MemberData(nameof(BackendTypes))]
    public void SiluDerivativeEveryOrder(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        var c = Case(UnaryKind.SiluDerivative);
        for (int order = 1; order <= SiluDerivativeOrder.Max; order++)
            foreach (int n in new[] { 1, 17, 1000 })
                Check(k, t, UnaryKind.SiluDerivative, order, 0, n, Data(UnaryKind.SiluDerivative, order, 0, n));
        foreach (double bad in new[] { 0.0, 5, 1.5, -1 })
            Assert.Throws<ArgumentOutOfRangeException>(() => k.Unary(UnaryKind.SiluDerivative, k.Allocate(t, 3), k.Allocate(t, 3), bad));
    }

    [Fact]
    public void SiluDerivativeReferenceMatchesDifferences()
    {
        // the reference's σ⁽ⁿ⁾ against central differences of σ⁽ⁿ⁻¹⁾ (h = 1e-5: error ~1e-9)
        foreach (double x in new[] { -7.0, -2.5, -0.3, 0, 0.8, 3.1, 9 })
            for (int n = 1; n <= 6; n++)
            {
                double h = 1e-5, fd = (R.SigmoidDerivative(n - 1, x + h) - R.SigmoidDerivative(n - 1, x - h)) / (2 * h);
                Assert.InRange(R.SigmoidDerivative(n, x) - fd, -1e-7, 1e-7);
            }
    }

    [Theory, MemberData(nameof(BackendTypes))]
    public void InPlace(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        var data = R.RandomF(1000, 3, -4, 4);
        var x = Backends.Upload(k, data, t);
        k.Unary(UnaryKind.Tanh, x, x);
        R.AssertClose(R.AsStored(data.Select(Math.Tanh).ToArray(), t), Backends.Download(k, x), 4e-6, 1e-15, "in place");
    }

    [Fact]
    public void ReferenceErfMatchesKnownValues()
    {
        // erf(0.5), erf(1), erf(2), erf(3.5) to 16 digits (tabulated)
        Assert.InRange(R.Erf(0.5) - 0.5204998778130465, -5e-16, 5e-16);
        Assert.InRange(R.Erf(1) - 0.8427007929497149, -5e-16, 5e-16);
        Assert.InRange(R.Erf(2) - 0.9953222650189527, -5e-16, 5e-16);
        Assert.InRange(R.Erf(3.5) - 0.9999992569016276, -5e-16, 5e-16);
    }

    public static TheoryData<string, DType> BackendTypes()
    {
        var d = new TheoryData<string, DType>();
        foreach (var name in Backends.Names) { d.Add(name, DType.Float32); d.Add(name, DType.Float64); }
        return d;
    }
}

/// <summary>The 512-bit operation structs through the vector math, run even where Vector512 is only emulated (the
/// kernels above skip avx512 backends on processors without it).</summary>
public class UnaryVector512MathTests
{
    [Fact]
    public void Vector512MathMatchesReference()
    {
        var xs = R.RandomF(64, 40, -8, 8).Concat([0, 1e-30, 3, -3, 6, 1e4, -1e4, 0.3]).ToArray();
        for (int s = 0; s + 8 <= xs.Length; s += 8)
        {
            var vd = System.Runtime.Intrinsics.Vector512.Create(xs.AsSpan(s, 8));
            var erf = NativeCam.Kernels.Cpu.Elementwise.VectorMath.ErfF64<NativeCam.Kernels.Cpu.Elementwise.V512D, System.Runtime.Intrinsics.Vector512<double>>(vd);
            var tanh = NativeCam.Kernels.Cpu.Elementwise.VectorMath.Tanh<NativeCam.Kernels.Cpu.Elementwise.V512D, System.Runtime.Intrinsics.Vector512<double>, double>(vd);
            for (int i = 0; i < 8; i++)
            {
                Assert.InRange(erf[i] - R.Erf(xs[s + i]), -2e-15, 2e-15);
                Assert.InRange(tanh[i] - Math.Tanh(xs[s + i]), -1e-15, 1e-15);
            }
        }
        for (int s = 0; s + 16 <= xs.Length; s += 16)
        {
            var vf = System.Runtime.Intrinsics.Vector512.Create(xs.Skip(s).Take(16).Select(v => (float)v).ToArray());
            var erf = NativeCam.Kernels.Cpu.Elementwise.V512F.Erf(vf);
            var sig = NativeCam.Kernels.Cpu.Elementwise.VectorMath.Sigmoid<NativeCam.Kernels.Cpu.Elementwise.V512F, System.Runtime.Intrinsics.Vector512<float>, float>(vf);
            for (int i = 0; i < 16; i++)
            {
                Assert.InRange(erf[i] - R.Erf(xs[s + i]), -2e-7, 2e-7);
                Assert.InRange(sig[i] - 1 / (1 + Math.Exp(-xs[s + i])), -2e-7, 2e-7);
            }
        }
    }

    [Fact]
    public void Vector512SiluDerivativeMatchesReference()
    {
        var xs = R.RandomF(64, 41, -9, 9).Concat([0, -0.0, 1e4, -1e4, -1.2785, 40, -40, 0.3]).ToArray();
        for (int order = 1; order <= SiluDerivativeOrder.Max; order++)
        {
            for (int s = 0; s + 8 <= xs.Length; s += 8)
            {
                var v = NativeCam.Kernels.Cpu.Elementwise.SiluDerivatives.Vector<NativeCam.Kernels.Cpu.Elementwise.V512D, System.Runtime.Intrinsics.Vector512<double>, double>(
                    order, System.Runtime.Intrinsics.Vector512.Create(xs.AsSpan(s, 8)));
                for (int i = 0; i < 8; i++) Assert.InRange(v[i] - R.SiluDerivative(order, xs[s + i]), -2e-14, 2e-14);
            }
            for (int s = 0; s + 16 <= xs.Length; s += 16)
            {
                var v = NativeCam.Kernels.Cpu.Elementwise.SiluDerivatives.Vector<NativeCam.Kernels.Cpu.Elementwise.V512F, System.Runtime.Intrinsics.Vector512<float>, float>(
                    order, System.Runtime.Intrinsics.Vector512.Create(xs.Skip(s).Take(16).Select(x => (float)x).ToArray()));
                for (int i = 0; i < 16; i++) Assert.InRange(v[i] - R.SiluDerivative(order, (float)xs[s + i]), -2e-6, 2e-6);
            }
        }
    }
}
