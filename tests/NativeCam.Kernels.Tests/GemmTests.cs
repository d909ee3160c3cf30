using System.Runtime.Intrinsics;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Gemm;
using NativeCam.Kernels.Gpu;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>GEMM on every backend against the float64 reference, on odd shapes and every layout option.</summary>
public class GemmTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static readonly DType[] Types = [DType.Float32, DType.Float64];

    /// <summary>Runs one GEMM on <paramref name="k"/> and the reference and compares. C starts as NaN when beta is 0
    /// (it must not be read).</summary>
    internal static void Check(IKernels k, DType t, GemmParams p, int seed, Action<GemmParams, IBuffer, IBuffer, IBuffer>? run = null)
    {
        int aRows = p.TransA ? p.K : p.M, bRows = p.TransB ? p.N : p.K;
        long lenA = Math.Max(1, GemmReference.Extent(p.Batch, p.OffsetA, p.StrideA, aRows, p.LdaOrDefault));
        long lenB = Math.Max(1, GemmReference.Extent(p.Batch, p.OffsetB, p.StrideB, bRows, p.LdbOrDefault));
        long lenC = Math.Max(1, GemmReference.Extent(p.Batch, p.OffsetC, p.StrideC, p.M, p.LdcOrDefault));
        double[] a = Backends.Random((int)lenA, seed), b = Backends.Random((int)lenB, seed + 1);
        double[] c = p.Beta == 0 ? Enumerable.Repeat(double.NaN, (int)lenC).ToArray() : Backends.Random((int)lenC, seed + 2);
        double[] expected = (double[])c.Clone();
        if (t == DType.Float32) // the reference sees the values the backend sees
        {
            a = a.Select(v => (double)(float)v).ToArray();
            b = b.Select(v => (double)(float)v).ToArray();
            expected = expected.Select(v => (double)(float)v).ToArray();
        }
        GemmReference.Gemm(p, a, b, expected);
        IBuffer ba = Backends.Upload(k, a, t), bb = Backends.Upload(k, b, t), bc = Backends.Upload(k, c, t);
        (run ?? ((q, x, y, z) => k.Gemm(q, x, y, z)))(p, ba, bb, bc);
        double[] actual = Backends.Download(k, bc);
        // elements of C outside the addressed matrices keep their value (NaN stays NaN)
        double tol = Backends.Tol(t, p.K) * (Math.Abs(p.Alpha) + Math.Abs(p.Beta) + 1);
        Backends.AssertClose(expected, actual, tol, tol, $"{k.Name} {t} {p}");
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void EdgeTileRowsEqualFullTileRowsBitwise(string backend)
    {
        // M = 67 leaves one row for an edge tile on every CPU micro-kernel (MR 4 or 6); moved to the front, the same
        // row is part of a full tile: its result must not depend on where it sits (alpha and beta exercise the store)
        if (!backend.StartsWith("cpu", StringComparison.Ordinal)) return;
        using var k = Backends.Create(backend);
        const int m = 67, n = 64, kk = 37;
        foreach (var t in Types)
        {
            double[] a = Backends.Random(m * kk, 11), b = Backends.Random(kk * n, 12), c = Backends.Random(m * n, 13);
            double[] aMoved = [.. a[((m - 1) * kk)..], .. a[..((m - 1) * kk)]], cMoved = [.. c[((m - 1) * n)..], .. c[..((m - 1) * n)]];
            var p = new GemmParams(m, n, kk, Alpha: 1.5, Beta: 0.5);
            IBuffer c1 = Backends.Upload(k, c, t), c2 = Backends.Upload(k, cMoved, t);
            k.Gemm(p, Backends.Upload(k, a, t), Backends.Upload(k, b, t), c1);
            k.Gemm(p, Backends.Upload(k, aMoved, t), Backends.Upload(k, b, t), c2);
            Assert.Equal(Backends.Download(k, c1)[((m - 1) * n)..], Backends.Download(k, c2)[..n]);
        }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void OddShapes(string backend)
    {
        using var k = Backends.Create(backend);
        int[] ms = [1, 3, 17, 65, 130], ns = [1, 17, 33, 49, 50, 130], ks = [1, 3, 65, 300]; // 49, 50: a half panel and one or two columns
        int seed = 0;
        foreach (var t in Types)
            foreach (int m in ms)
                foreach (int n in ns)
                    foreach (int kk in ks)
                    {
                        seed++;
                        bool ta = (seed & 1) != 0, tb = (seed & 2) != 0;
                        Check(k, t, new GemmParams(m, n, kk, ta, tb), seed);
                    }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void TransposesLeadingDimensionsAlphaBeta(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 1000;
        foreach (var t in Types)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    const int m = 37, n = 45, kk = 29;
                    int lda = (ta ? m : kk) + 3, ldb = (tb ? kk : n) + 5, ldc = n + 7;
                    Check(k, t, new GemmParams(m, n, kk, ta, tb, lda, ldb, ldc, Alpha: 1.5, Beta: -0.75), seed++);
                    Check(k, t, new GemmParams(m, n, kk, ta, tb, lda, ldb, ldc, Alpha: -2, Beta: 0), seed++);
                    Check(k, t, new GemmParams(m, n, kk, ta, tb, Alpha: 1, Beta: 1), seed++);
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BatchedWithStridesAndOffsets(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 2000;
        foreach (var t in Types)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    const int m = 19, n = 23, kk = 13, batch = 3;
                    var p = new GemmParams(m, n, kk, ta, tb, Alpha: 0.5, Beta: 2, Batch: batch,
                        StrideA: m * kk + 4, StrideB: kk * n + 2, StrideC: m * n + 9, OffsetA: 5, OffsetB: 1, OffsetC: 3);
                    Check(k, t, p, seed++);
                    Check(k, t, p with { Beta = 0, Batch = 4 }, seed++);
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void FewRowsStreamBWithTransposesStridesAndBatches(string backend)
    {
        // M ≤ 64 takes the unpacked path, 4 rows at a time (7 and 13: ragged groups); N = 1037 splits the columns between threads with a ragged edge
        using var k = Backends.Create(backend);
        // ILGPU's CPU accelerator is slow: a narrower C there, still with ragged tiles (77 = 4·16 + 13 = 64 + 13)
        int n = backend.StartsWith("ilgpu", StringComparison.Ordinal) ? 77 : 1037;
        int seed = 5000;
        foreach (var t in Types)
            foreach (int m in new[] { 1, 2, 4, 7, 13 })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                    foreach (int kk in new[] { 45, 150 }) // 150: a transposed B's dot runs its four-vector loop, one vector and a tail
                    {
                        int lda = (ta ? m : kk) + 3, ldb = (tb ? kk : n) + 5, ldc = n + 2;
                        Check(k, t, new GemmParams(m, n, kk, ta, tb, lda, ldb, ldc, Alpha: 1.5, Beta: -0.75), seed++);
                        Check(k, t, new GemmParams(m, n, kk, ta, tb, Alpha: -2, Beta: 0, Batch: 2,
                            StrideA: m * kk + 3, StrideB: kk * n + 1, StrideC: m * n + 4, OffsetA: 2, OffsetB: 5, OffsetC: 1), seed++);
                    }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void FewRowsAddBRowsInKOrderBitwise(string backend)
    {
        // C = A·B with few rows and B as stored adds the rows of B four at a time; the sums must be exactly those
        // of K one-row products added in k order (beta 1). Zeros in A (skipped terms) and 1037 columns (vector tails)
        if (!backend.StartsWith("cpu", StringComparison.Ordinal)) return;
        using var k = Backends.Create(backend);
        const int n = 1037, kk = 23;
        foreach (var t in Types)
            foreach (int m in new[] { 1, 3 })
            {
                double[] a = Backends.Random(m * kk, 21), b = Backends.Random(kk * n, 22);
                for (int i = 0; i < a.Length; i += 7) a[i] = 0;
                var whole = Backends.Upload(k, new double[m * n], t);
                k.Gemm(new GemmParams(m, n, kk, Beta: 0), Backends.Upload(k, a, t), Backends.Upload(k, b, t), whole);
                var stepwise = Backends.Upload(k, new double[m * n], t);
                for (int q = 0; q < kk; q++)
                {
                    var column = Enumerable.Range(0, m).Select(i => a[i * kk + q]).ToArray();
                    k.Gemm(new GemmParams(m, n, 1, Beta: q == 0 ? 0 : 1), Backends.Upload(k, column, t), Backends.Upload(k, b[(q * n)..((q + 1) * n)], t), stepwise);
                }
                Assert.Equal(Backends.Download(k, stepwise), Backends.Download(k, whole));
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BlockBoundaries(string backend)
    {
        using var k = Backends.Create(backend);
        // M over the M block, K over two K blocks, N over the N block, with ragged edges everywhere
        Check(k, DType.Float32, new GemmParams(150, 61, 530), 3000);
        Check(k, DType.Float64, new GemmParams(131, 3100, 7, TransB: true), 3001);
        Check(k, DType.Float32, new GemmParams(5, 3077, 3, Beta: 0.5), 3002);
        Check(k, DType.Float64, new GemmParams(70, 40, 0, Beta: 0.5), 3003);
        Check(k, DType.Float32, new GemmParams(9, 8, 0), 3004);
        if (!backend.StartsWith("cpu", StringComparison.Ordinal)) return;
        // short K blocks run rows-outermost over column runs that keep packed B in L2: several runs, several M
        // blocks (B packed once, reused by the later ones), a short last K block after a full one, ragged edges
        Check(k, DType.Float32, new GemmParams(299, 2003, 300, Beta: 0.5), 3005);
        Check(k, DType.Float64, new GemmParams(151, 1301, 40, Alpha: 1.5), 3006);
    }

    [Fact]
    public void GpuTileOnTheCpuAccelerator()
    {
        // ilgpu-cpu runs the tiled GEMM with its small tile; this runs the GPU's 64×64 tile (256 threads) on the CPU
        // accelerator: ragged edges in M, N and K, every transpose, leading dimensions, beta, batches with offsets
        using var k = IlgpuKernels.CreateCpu();
        k.GpuTiles = true;
        int seed = 6000;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                // two tiles along M or N with a ragged edge (one group costs ~0.1 s on the CPU accelerator)
                int m = ta ? 70 : 5, n = ta ? 3 : 67;
                const int kk = 19;
                int lda = (ta ? m : kk) + 3, ldb = (tb ? kk : n) + 5, ldc = n + 7;
                var t = seed % 2 == 0 ? DType.Float32 : DType.Float64;
                Check(k, t, new GemmParams(m, n, kk, ta, tb, lda, ldb, ldc, Alpha: 1.5, Beta: -0.75), seed++);
            }
        Check(k, DType.Float64, new GemmParams(3, 130, 33, true, false, Alpha: -2, Batch: 2,
            StrideA: 3 * 33 + 1, StrideB: 33 * 130 + 2, StrideC: 3 * 130 + 3, OffsetA: 2, OffsetB: 5, OffsetC: 1), seed);
    }

    [Fact]
    public void EmulatedVector512PathMatches()
    {
        // the Vector512 kernels run (in software) even where the processor lacks AVX-512
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        void Run(GemmParams p, IBuffer a, IBuffer b, IBuffer c)
        {
            if (a.DType == DType.Float32)
                k.GemmCore(SimdLevel.Vector512, p, ((CpuBuffer<float>)a).Span, ((CpuBuffer<float>)b).Span, ((CpuBuffer<float>)c).Span);
            else
                k.GemmCore(SimdLevel.Vector512, p, ((CpuBuffer<double>)a).Span, ((CpuBuffer<double>)b).Span, ((CpuBuffer<double>)c).Span);
        }
        int seed = 4000;
        foreach (var t in Types)
            foreach (var (m, n, kk) in new[] { (1, 1, 1), (17, 33, 65), (9, 70, 300), (40, 35, 3), (80, 33, 17), (70, 130, 65) })
            {
                Check(k, t, new GemmParams(m, n, kk, Beta: 0.5, Alpha: 2), seed++, Run);
                Check(k, t, new GemmParams(m, n, kk, true, true, Batch: 2, StrideA: m * kk, StrideB: n * kk, StrideC: m * n), seed++, Run);
            }
    }

    [Fact]
    public unsafe void HalfTileWithItsColumnEqualsTheHalfTileAndTheColumnTailBitwise()
    {
        // a 17-column edge tile of the 8×32 float kernel in one k loop must give the bits of the half tile and the
        // column tail run apart (even and odd depths; B a packed partial panel)
        if (!ColumnTail.Applies<float>(8, 1, 2) || !Vector512.IsHardwareAccelerated) return; // the driver never takes it here
        int mr = MicroKernel512<float>.MR, nr = MicroKernel512<float>.NR, h = nr / 2;
        foreach (int kc in new[] { 2, 3, 4, 7, 64, 255, 256 })
        {
            float[] a = Backends.Random(mr * kc, kc + 7).Select(v => (float)v).ToArray();
            float[] b = Backends.Random(nr * kc, kc + 8).Select(v => (float)v).ToArray();
            for (int k = 0; k < kc; k++)
                for (int j = h + 1; j < nr; j++) b[k * nr + j] = 0;
            var apart = new float[mr * nr];
            var fused = new float[mr * nr];
            fixed (float* pa = a, pb = b, p1 = apart, p2 = fused)
            {
                MicroKernel512<float>.RunHalf(kc, pa, 0, pb, p1);
                ColumnTail.Run(mr, kc, pa, pb + h, nr, 1, p1 + h, nr);
                Assert.True(MicroKernel512<float>.TryRunHalfAndColumn(kc, pa, pb, p2));
                Assert.False(MicroKernel512<double>.TryRunHalfAndColumn(kc, null, null, null));
            }
            for (int i = 0; i < mr; i++)
                for (int j = 0; j <= h; j++)
                    Assert.True(BitConverter.SingleToInt32Bits(apart[i * nr + j]) == BitConverter.SingleToInt32Bits(fused[i * nr + j]),
                        $"kc {kc}, row {i}, column {j}: {fused[i * nr + j]} against {apart[i * nr + j]}");
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public unsafe void ColumnTailEqualsTheHalfTileKernelBitwise(int mr)
    {
        // the one- to four-column tail of a 6-row (Vector256 kernel) or 8-row (Vector512 kernel) float tile must give the
        // half-width kernel's bits (paths through the driver are compared bit for bit), for even and odd depths
        if (!ColumnTail.Applies<float>(mr, 1, 2)) return; // no AVX2 + FMA here: the driver never takes it
        int nr = mr == 6 ? MicroKernel256<float>.NR : MicroKernel512<float>.NR;
        Assert.Equal(mr, mr == 6 ? MicroKernel256<float>.MR : MicroKernel512<float>.MR);
        foreach (int kc in new[] { 2, 3, 4, 7, 64, 257 })
            foreach (int cols in new[] { 1, 2, 3, 4 })
            {
                float[] a = Backends.Random(mr * kc, kc).Select(v => (float)v).ToArray();
                float[] b = Backends.Random(nr * kc, kc + 1).Select(v => (float)v).ToArray();
                for (int k = 0; k < kc; k++)
                    for (int j = cols; j < nr; j++) b[k * nr + j] = 0; // a packed partial panel: zeros past its columns
                var half = new float[mr * nr];
                var tail = new float[mr * nr];
                fixed (float* pa = a, pb = b, ph = half, pt = tail)
                {
                    if (mr == 6) MicroKernel256<float>.RunHalf(kc, pa, 0, pb, ph);
                    else MicroKernel512<float>.RunHalf(kc, pa, 0, pb, ph);
                    ColumnTail.Run(mr, kc, pa, pb, nr, cols, pt, nr);
                }
                for (int i = 0; i < mr; i++)
                    for (int j = 0; j < cols; j++)
                        Assert.True(BitConverter.SingleToInt32Bits(half[i * nr + j]) == BitConverter.SingleToInt32Bits(tail[i * nr + j]),
                            $"kc {kc}, row {i}, column {j}: {tail[i * nr + j]} against {half[i * nr + j]}");

                // A read in place (rows lda apart): the transposing tail (up to two columns) against the half-width
                // kernel reading A in place
                if (cols > 2) continue;
                int lda = kc + 3;
                var rows = new float[mr * lda];
                for (int i = 0; i < mr; i++)
                    for (int k = 0; k < kc; k++) rows[i * lda + k] = a[k * mr + i];
                Array.Clear(half);
                Array.Clear(tail);
                fixed (float* pa = rows, pb = b, ph = half, pt = tail)
                {
                    if (mr == 6) MicroKernel256<float>.RunHalf(kc, pa, lda, pb, ph);
                    else MicroKernel512<float>.RunHalf(kc, pa, lda, pb, ph);
                    ColumnTail.RunInPlace(mr, kc, pa, lda, pb, nr, cols, pt, nr);
                }
                for (int i = 0; i < mr; i++)
                    for (int j = 0; j < cols; j++)
                        Assert.True(BitConverter.SingleToInt32Bits(half[i * nr + j]) == BitConverter.SingleToInt32Bits(tail[i * nr + j]),
                            $"in place, kc {kc}, row {i}, column {j}: {tail[i * nr + j]} against {half[i * nr + j]}");
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void RejectsOutOfRangeOperands(string backend)
    {
        using var k = Backends.Create(backend);
        var a = k.Allocate(DType.Float32, 6); var b = k.Allocate(DType.Float32, 6); var c = k.Allocate(DType.Float32, 3);
        var e = Assert.Throws<ArgumentException>(() => k.Gemm(new GemmParams(2, 2, 3), a, b, c));
        Assert.Contains("C addresses element 3", e.Message);
        Assert.Throws<ArgumentException>(() => k.Gemm(new GemmParams(2, 3, 3, Lda: 2), a, b, k.Allocate(DType.Float32, 6)));
    }
}
