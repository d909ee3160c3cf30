using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// The last one to four columns of a 6- or 8-row float32 tile (a 7×7 map is 49 columns: three full 16-wide panels and
/// one column; with 32-wide panels, one full panel, one half panel and one column), vectorised down the rows instead
/// of along the columns: per k one FMA of the packed A values (a Vector256; with six rows its two top lanes are
/// ignored) with the broadcast B value, where the half-width tile kernel spends six or eight FMAs on a vector of
/// columns to keep one. The arithmetic is the half-width kernel's (even and odd k in two accumulators, added at the
/// end), so every path through the driver gives the same bits.
/// </summary>
internal static unsafe class ColumnTail
{
    /// <summary>Whether a tile of <paramref name="nr"/> columns goes here (A read in place: <see cref="RunInPlace"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Applies<T>(int mr, int nr, int kc) => nr <= 2 && AppliesPacked<T>(mr, nr, kc);

    /// <summary>Whether a tile of <paramref name="nr"/> columns with packed A goes here (<see cref="Run"/>: up to four
    /// columns, a 14×14 map's 196 = 6·32 + 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AppliesPacked<T>(int mr, int nr, int kc) =>
        typeof(T) == typeof(float) && mr is 6 or 8 && nr <= MaxPackedColumns && kc >= 2 && Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Most columns of <see cref="Run"/>.</summary>
    public const int MaxPackedColumns = 4;

    /// <summary>tile[i·ldt + j] = Σ_k a[k·mr + i]·b[k·ldb + j] for i &lt; <paramref name="mr"/> (6 or 8), j &lt;
    /// <paramref name="nr"/> ≤ 4 (raw, no store rule), all columns in one pass over the packed A panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int mr, int kc, float* a, float* b, nint ldb, int nr, float* tile, int ldt)
    {
        // the last k's values end the panel: with six rows, load them two elements early and rotate them into lanes 0–5
        Vector256<float> last = mr == 8 ? Avx.LoadVector256(a + (kc - 1) * 8)
            : Avx2.PermuteVar8x32(Avx.LoadVector256(a + (kc - 1) * 6 - 2), Vector256.Create(2, 3, 4, 5, 6, 7, 0, 1));
        // columns past nr read B's zero padding or its next columns and are never written out
        Vector256<float> p0 = default, p1 = default, p2 = default, p3 = default, q0 = default, q1 = default, q2 = default, q3 = default;
        bool two = nr > 1, three = nr > 2, four = nr > 3;
        int k = 0;
        for (; k + 1 < kc - 1; k += 2)
        {
            Vector256<float> ae = Avx.LoadVector256(a + k * mr), ao = Avx.LoadVector256(a + (k + 1) * mr);
            float* be = b + k * ldb, bo = be + ldb;
            p0 = Fma.MultiplyAdd(ae, Vector256.Create(be[0]), p0);
            q0 = Fma.MultiplyAdd(ao, Vector256.Create(bo[0]), q0);
            if (!two) continue;
            p1 = Fma.MultiplyAdd(ae, Vector256.Create(be[1]), p1);
            q1 = Fma.MultiplyAdd(ao, Vector256.Create(bo[1]), q1);
            if (!three) continue;
            p2 = Fma.MultiplyAdd(ae, Vector256.Create(be[2]), p2);
            q2 = Fma.MultiplyAdd(ao, Vector256.Create(bo[2]), q2);
            if (!four) continue;
            p3 = Fma.MultiplyAdd(ae, Vector256.Create(be[3]), p3);
            q3 = Fma.MultiplyAdd(ao, Vector256.Create(bo[3]), q3);
        }
        // k = kc − 2 (when kc is even) and kc − 1 remain; the last one from its own load
        if (k < kc - 1) Step(Avx.LoadVector256(a + k * mr), b + k * ldb, nr, ref p0, ref p1, ref p2, ref p3);
        if ((kc - 1) % 2 == 0) Step(last, b + (kc - 1) * ldb, nr, ref p0, ref p1, ref p2, ref p3);
        else Step(last, b + (kc - 1) * ldb, nr, ref q0, ref q1, ref q2, ref q3);
        Store(p0 + q0, tile, ldt, mr, 0);
        if (two) Store(p1 + q1, tile, ldt, mr, 1);
        if (three) Store(p2 + q2, tile, ldt, mr, 2);
        if (four) Store(p3 + q3, tile, ldt, mr, 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(Vector256<float> ak, float* bk, int nr, ref Vector256<float> c0, ref Vector256<float> c1, ref Vector256<float> c2, ref Vector256<float> c3)
    {
        c0 = Fma.MultiplyAdd(ak, Vector256.Create(bk[0]), c0);
        if (nr > 1) c1 = Fma.MultiplyAdd(ak, Vector256.Create(bk[1]), c1);
        if (nr > 2) c2 = Fma.MultiplyAdd(ak, Vector256.Create(bk[2]), c2);
        if (nr > 3) c3 = Fma.MultiplyAdd(ak, Vector256.Create(bk[3]), c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> sum, float* tile, int ldt, int mr, int j)
    {
        for (int i = 0; i < mr; i++) tile[i * ldt + j] = sum.GetElement(i);
    }

    /// <summary>
    /// The same sums with A's <paramref name="mr"/> rows read in place, <paramref name="lda"/> apart (a tile whose A
    /// is not packed): eight k at a time, the rows' runs are transposed in registers (8×8) into the per-k vectors the
    /// packed path loads, then the same FMAs in the same order (rows past <paramref name="mr"/> are zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunInPlace(int mr, int kc, float* a, nint lda, float* b, nint ldb, int nr, float* tile, int ldt)
    {
        Span<Vector256<float>> p = stackalloc Vector256<float>[2], q = stackalloc Vector256<float>[2];
        p.Clear();
        q.Clear();
        Span<Vector256<float>> col = stackalloc Vector256<float>[8];
        int k = 0;
        for (; k + 8 <= kc; k += 8)
        {
            Transpose8(a + k, lda, mr, col);
            for (int j = 0; j < nr; j++)
            {
                float* bj = b + j + k * ldb;
                Vector256<float> pj = p[j], qj = q[j];
                for (int t = 0; t < 8; t += 2)
                {
                    pj = Fma.MultiplyAdd(col[t], Vector256.Create(bj[t * ldb]), pj);
                    qj = Fma.MultiplyAdd(col[t + 1], Vector256.Create(bj[(t + 1) * ldb]), qj);
                }
                p[j] = pj;
                q[j] = qj;
            }
        }
        for (; k < kc; k++) // the last kc mod 8 (k is even at the first)
        {
            Vector256<float> v = Vector256.Create(Row(a, lda, mr, 0, k), Row(a, lda, mr, 1, k), Row(a, lda, mr, 2, k), Row(a, lda, mr, 3, k),
                Row(a, lda, mr, 4, k), Row(a, lda, mr, 5, k), Row(a, lda, mr, 6, k), Row(a, lda, mr, 7, k));
            for (int j = 0; j < nr; j++)
            {
                var x = Vector256.Create(b[j + k * ldb]);
                if (k % 2 == 0) p[j] = Fma.MultiplyAdd(v, x, p[j]); else q[j] = Fma.MultiplyAdd(v, x, q[j]);
            }
        }
        for (int j = 0; j < nr; j++)
        {
            Vector256<float> sum = p[j] + q[j];
            for (int i = 0; i < mr; i++) tile[i * ldt + j] = sum.GetElement(i);
        }
    }

    private static float Row(float* a, nint lda, int mr, int i, int k) => i < mr ? a[i * lda + k] : 0f;

    /// <summary>col[t] = (a[0·lda + t], …, a[7·lda + t]) for t &lt; 8: eight runs of eight transposed (rows ≥ mr zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(float* a, nint lda, int mr, Span<Vector256<float>> col)
    {
        Vector256<float> r0 = Avx.LoadVector256(a), r1 = Avx.LoadVector256(a + lda), r2 = Avx.LoadVector256(a + 2 * lda);
        Vector256<float> r3 = Avx.LoadVector256(a + 3 * lda), r4 = Avx.LoadVector256(a + 4 * lda), r5 = Avx.LoadVector256(a + 5 * lda);
        Vector256<float> r6 = mr > 6 ? Avx.LoadVector256(a + 6 * lda) : default, r7 = mr > 7 ? Avx.LoadVector256(a + 7 * lda) : default;
        Transpose8x8.Run(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        (col[0], col[1], col[2], col[3], col[4], col[5], col[6], col[7]) = (r0, r1, r2, r3, r4, r5, r6, r7);
    }
}
