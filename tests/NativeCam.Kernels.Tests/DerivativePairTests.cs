using NativeCam.Kernels;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// The one-pass derivative kernels on every backend and SIMD path, on lengths around the vector widths and past one
/// parallel chunk: Gate against the scalar rule (exact: a selection), SiluDerivativePair against the float64
/// formulas, and bit for bit against the same backend's separate unary and binary passes it replaces (on CUDA, where
/// the compiler may contract products and sums, within rounding).
/// </summary>
public class DerivativePairTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static readonly int[] Lengths = [1, 7, 16, 17, 33, 1003, 70001];

    private static IBuffer Up(IKernels k, double[] v, DType t) => Backends.Upload(k, v, t);

    [Theory, MemberData(nameof(BackendNames))]
    public void GatePassesTWhereTheGateIsInRange(string backend)
    {
        using var k = Backends.Create(backend);
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in Lengths)
                foreach (var (lo, hi) in new[] { (0.0, double.PositiveInfinity), (0.0, 6.0), (-0.5, 0.25) })
                {
                    var g = R.AsStored(Backends.Random(n, n, -1, 7), t);
                    for (int i = 0; i < n; i += 5) g[i] = i % 3 == 0 ? lo : double.IsInfinity(hi) ? double.NaN : hi; // on the bounds
                    var x = R.AsStored(Backends.Random(n, n + 1, -3, 3), t);
                    var x2 = R.AsStored(Backends.Random(n, n + 2, -3, 3), t);
                    IBuffer r = k.Allocate(t, n), pr = k.Allocate(t, n), pr2 = k.Allocate(t, n);
                    k.Gate(Up(k, g, t), Up(k, x, t), r, lo, hi);
                    k.Gate(Up(k, g, t), Up(k, x, t), pr, lo, hi, Up(k, x2, t), pr2); // a second operand in the same pass
                    bool Pass(int i) => g[i] > lo && (double.IsInfinity(hi) || g[i] < hi);
                    var expected = x.Select((v, i) => Pass(i) ? v : 0).ToArray();
                    Assert.Equal(expected, Backends.Download(k, r));
                    Assert.Equal(expected, Backends.Download(k, pr));
                    Assert.Equal(x2.Select((v, i) => Pass(i) ? v : 0).ToArray(), Backends.Download(k, pr2));
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void SiluPairMatchesTheFormulasAndTheSeparatePasses(string backend)
    {
        using var k = Backends.Create(backend);
        bool exact = backend != "ilgpu-cuda";
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (int n in Lengths)
                for (int order = 0; order < SiluDerivativeOrder.Max; order++)
                    foreach (var (hasDx, hasDa) in order == 0 ? [(true, false)] : new[] { (true, true), (true, false), (false, true) })
                    {
                        var x = R.AsStored(Backends.Random(n, 3 * n + order, -12, 12), t);
                        var a = R.AsStored(Backends.Random(n, 5 * n + order, -2, 2), t);
                        var dx = R.AsStored(Backends.Random(n, 7 * n + order, -1, 1), t);
                        var da = R.AsStored(Backends.Random(n, 11 * n + order, -1, 1), t);
                        IBuffer bx = Up(k, x, t), ba = Up(k, a, t), bdx = Up(k, dx, t), bda = Up(k, da, t);
                        IBuffer y = k.Allocate(t, n), dy = k.Allocate(t, n);
                        k.SiluDerivativePair(order, bx, order == 0 ? null : ba, hasDx ? bdx : null, hasDa ? bda : null, y, dy);
                        string what = $"{backend} {t} n={n} order {order} dx {hasDx} da {hasDa}";

                        // the formulas in float64
                        double S(int j, double v) => j == 0 ? v / (1 + Math.Exp(-v)) : R.Unary(UnaryKind.SiluDerivative, v, j, 0);
                        var ey = x.Select((v, i) => order == 0 ? S(0, v) : S(order, v) * a[i]).ToArray();
                        var edy = x.Select((v, i) => order == 0 ? S(1, v) * dx[i]
                            : (hasDa ? S(order, v) * da[i] : 0) + (hasDx ? S(order + 1, v) * a[i] * dx[i] : 0)).ToArray();
                        double rtol = t == DType.Float32 ? 4e-6 : 2e-14, atol = t == DType.Float32 ? 2e-5 : 2e-13;
                        R.AssertClose(R.AsStored(ey, t), Backends.Download(k, y), rtol, atol, what + " y");
                        R.AssertClose(R.AsStored(edy, t), Backends.Download(k, dy), rtol, atol, what + " dy");

                        // the separate passes it replaces
                        var (sy, sdy) = Separate(k, t, n, order, bx, ba, hasDx ? bdx : null, hasDa ? bda : null);
                        if (exact)
                        {
                            Assert.True(sy.SequenceEqual(Backends.Download(k, y)), what + ": y differs from the separate passes");
                            Assert.True(sdy.SequenceEqual(Backends.Download(k, dy)), what + ": dy differs from the separate passes");
                        }
                        else R.AssertClose(sdy, Backends.Download(k, dy), rtol, atol, what + " dy (separate passes)");
                    }
    }

    [Fact]
    public void BadCallsAreRefused()
    {
        using var k = Backends.Create("cpu-scalar");
        IBuffer x = k.Allocate(DType.Float32, 4), y = k.Allocate(DType.Float32, 4), dy = k.Allocate(DType.Float32, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => k.SiluDerivativePair(SiluDerivativeOrder.Max, x, x, x, x, y, dy));
        Assert.Throws<ArgumentException>(() => k.SiluDerivativePair(0, x, x, x, null, y, dy));
        Assert.Throws<ArgumentException>(() => k.SiluDerivativePair(1, x, null, x, null, y, dy));
        Assert.Throws<ArgumentException>(() => k.SiluDerivativePair(1, x, x, null, null, y, dy));
        Assert.Throws<ArgumentException>(() => k.SiluDerivativePair(1, x, x, k.Allocate(DType.Float32, 3), null, y, dy));
        Assert.Throws<ArgumentException>(() => k.Gate(x, k.Allocate(DType.Float64, 4), y, 0, 1));
        Assert.Throws<ArgumentException>(() => k.Gate(x, x, y, double.NaN, 1));
        Assert.Throws<ArgumentException>(() => k.Gate(x, x, y, 0, 1, x, null));
        Assert.Throws<ArgumentException>(() => k.Gate(x, x, y, 0, 1, k.Allocate(DType.Float32, 3), dy));
    }

    /// <summary>y and dy from unary SiLU / SiluDerivative kernels and binary products and sums, one pass each.</summary>
    private static (double[] Y, double[] Dy) Separate(IKernels k, DType t, int n, int order, IBuffer x, IBuffer a, IBuffer? dx, IBuffer? da)
    {
        var p = new BroadcastParams([n], [1], [1]);
        IBuffer Map(UnaryKind kind, double alpha) { var r = k.Allocate(t, n); k.Unary(kind, x, r, alpha); return r; }
        IBuffer Mul(IBuffer u, IBuffer v) { var r = k.Allocate(t, n); k.Binary(BinaryKind.Mul, p, u, v, r); return r; }
        if (order == 0) return (Backends.Download(k, Map(UnaryKind.Silu, 0)), Backends.Download(k, Mul(Map(UnaryKind.SiluDerivative, 1), dx!)));
        var sk = Map(UnaryKind.SiluDerivative, order);
        IBuffer? viaA = da is null ? null : Mul(sk, da);
        IBuffer? viaX = dx is null ? null : Mul(Map(UnaryKind.SiluDerivative, order + 1), Mul(a, dx));
        IBuffer tangent;
        if (viaA is null) tangent = viaX!;
        else if (viaX is null) tangent = viaA;
        else { tangent = k.Allocate(t, n); k.Binary(BinaryKind.Add, p, viaA, viaX, tangent); }
        return (Backends.Download(k, Mul(sk, a)), Backends.Download(k, tangent));
    }
}
