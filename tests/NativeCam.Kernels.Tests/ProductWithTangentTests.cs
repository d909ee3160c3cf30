using NativeCam.Kernels;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// IKernels.ProductWithTangent on every backend and SIMD path: y = a·b and dy = da·b + a·db under broadcasting (same
/// shapes, a per-channel scale on either side, both operands stretched, rows around the vector widths and past one
/// parallel chunk), with either tangent or both; against float64 products and bit for bit against the same backend's
/// separate Binary passes it replaces (on CUDA, where the compiler may contract a product and a sum, within rounding).
/// </summary>
public class ProductWithTangentTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static readonly (int[] A, int[] B)[] Shapes =
    [
        ([3, 5, 7], [3, 5, 7]),
        ([2, 5, 3, 7], [2, 5, 1, 1]),          // a squeeze-excitation's scale: constant along rows of 21
        ([1, 6, 1, 1], [1, 6, 17, 1]),         // the scale on the left, rows of one
        ([1, 3, 33, 33], [1, 3, 1, 1]),
        ([4, 1, 3], [1, 6, 1]),                // both stretched: no operand contiguous along the output
        ([70001], [1]),
        ([2, 9, 1], [9, 16]),
    ];

    [Theory, MemberData(nameof(BackendNames))]
    public void ProductAndTangentMatchTheFormulaAndTheSeparatePasses(string backend)
    {
        using var k = Backends.Create(backend);
        bool exact = backend != "ilgpu-cuda";
        int seed = 0;
        foreach (var t in new[] { DType.Float32, DType.Float64 })
            foreach (var (sa, sb) in Shapes)
                foreach (var (hasDa, hasDb) in new[] { (true, true), (true, false), (false, true) })
                {
                    var os = BinaryTests.Broadcast(sa, sb);
                    var p = new BroadcastParams(os, BinaryTests.BroadcastStrides(sa, os), BinaryTests.BroadcastStrides(sb, os));
                    int na = sa.Aggregate(1, (x, y) => x * y), nb = sb.Aggregate(1, (x, y) => x * y), n = os.Aggregate(1, (x, y) => x * y);
                    var a = R.AsStored(Backends.Random(na, seed += 4, -3, 3), t);
                    var b = R.AsStored(Backends.Random(nb, seed + 1, -3, 3), t);
                    var da = R.AsStored(Backends.Random(na, seed + 2), t);
                    var db = R.AsStored(Backends.Random(nb, seed + 3), t);
                    IBuffer ba = Backends.Upload(k, a, t), bb = Backends.Upload(k, b, t), bda = Backends.Upload(k, da, t), bdb = Backends.Upload(k, db, t);
                    IBuffer y = k.Allocate(t, n), dy = k.Allocate(t, n);
                    k.ProductWithTangent(p, ba, bb, hasDa ? bda : null, hasDb ? bdb : null, y, dy);
                    string what = $"{backend} {t} [{string.Join(",", sa)}]·[{string.Join(",", sb)}] da {hasDa} db {hasDb}";

                    // float64 products at the broadcast offsets
                    int[] stA = p.StridesA, stB = p.StridesB;
                    var ey = new double[n];
                    var edy = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        int ia = 0, ib = 0;
                        for (int d = os.Length - 1, rest = i; d >= 0; rest /= os[d], d--)
                        {
                            ia += rest % os[d] * stA[d];
                            ib += rest % os[d] * stB[d];
                        }
                        ey[i] = a[ia] * b[ib];
                        edy[i] = (hasDa ? da[ia] * b[ib] : 0) + (hasDb ? a[ia] * db[ib] : 0);
                    }
                    double rtol = t == DType.Float32 ? 2e-6 : 1e-15, atol = t == DType.Float32 ? 2e-6 : 1e-15;
                    R.AssertClose(R.AsStored(ey, t), Backends.Download(k, y), rtol, atol, what + " y");
                    R.AssertClose(R.AsStored(edy, t), Backends.Download(k, dy), rtol, atol, what + " dy");

                    // the separate passes: a·b, da·b, a·db, their sum
                    IBuffer sy = k.Allocate(t, n), ta = k.Allocate(t, n), tb = k.Allocate(t, n), sdy = k.Allocate(t, n);
                    k.Binary(BinaryKind.Mul, p, ba, bb, sy);
                    if (hasDa) k.Binary(BinaryKind.Mul, p, bda, bb, ta);
                    if (hasDb) k.Binary(BinaryKind.Mul, p, ba, bdb, tb);
                    var whole = new BroadcastParams(os, R.Strides(os), R.Strides(os));
                    if (hasDa && hasDb) k.Binary(BinaryKind.Add, whole, ta, tb, sdy);
                    var separate = Backends.Download(k, hasDa && hasDb ? sdy : hasDa ? ta : tb);
                    Assert.True(Backends.Download(k, sy).SequenceEqual(Backends.Download(k, y)), what + ": y differs from the separate pass");
                    if (exact) Assert.True(separate.SequenceEqual(Backends.Download(k, dy)), what + ": dy differs from the separate passes");
                    else R.AssertClose(separate, Backends.Download(k, dy), rtol, atol, what + " dy (separate passes)");
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BadCallsAreRefused(string backend)
    {
        using var k = Backends.Create(backend);
        var p = new BroadcastParams([6], [1], [1]);
        IBuffer a = k.Allocate(DType.Float32, 6), y = k.Allocate(DType.Float32, 6), dy = k.Allocate(DType.Float32, 6);
        Assert.Contains("no tangent", Assert.Throws<ArgumentException>(() => k.ProductWithTangent(p, a, a, null, null, y, dy)).Message);
        Assert.Throws<ArgumentException>(() => k.ProductWithTangent(p, a, a, k.Allocate(DType.Float32, 5), null, y, dy));
        Assert.Throws<ArgumentException>(() => k.ProductWithTangent(p, a, a, a, null, y, k.Allocate(DType.Float32, 5)));
        Assert.Throws<ArgumentException>(() => k.ProductWithTangent(p, a, a, k.Allocate(DType.Float64, 6), null, y, dy));
        // strides reaching past an operand
        Assert.Throws<ArgumentException>(() => k.ProductWithTangent(new BroadcastParams([6], [1], [2]), a, a, a, null, y, dy));
    }
}
