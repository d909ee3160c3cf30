using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// The last one or two columns of a 6- or 8-row float32 tile (a 7×7 map is 49 columns: three full 16-wide panels and
/// one column; with 32-wide panels, one full panel, one half panel and one column), vectorised down the rows instead
/// of along the columns: per k one FMA of the packed A values (a Vector256; with six rows its two top lanes are
/// ignored) with the broadcast B value, where the half-width tile kernel spends six or eight FMAs on a vector of
/// columns to keep one. The arithmetic is the half-width kernel's (even and odd k in two accumulators, added at the
/// end), so every path through the driver gives the same bits.
/// </summary>
internal static unsafe class ColumnTail
{
    /// <summary>Whether a tile of <paramref name="nr"/> columns with packed A of depth <paramref name="kc"/> goes here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Applies<T>(int mr, int nr, int kc) =>
        typeof(T) == typeof(float) && mr is 6 or 8 && nr <= 2 && kc >= 2 && Avx2.IsSupported && Fma.IsSupported;

    /// <summary>tile[i·ldt + j] = Σ_k a[k·mr + i]·b[k·ldb + j] for i &lt; <paramref name="mr"/> (6 or 8), j &lt;
    /// <paramref name="nr"/> (raw, no store rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int mr, int kc, float* a, float* b, nint ldb, int nr, float* tile, int ldt)
    {
        // the last k's values end the panel: with six rows, load them two elements early and rotate them into lanes 0–5
        Vector256<float> last = mr == 8 ? Avx.LoadVector256(a + (kc - 1) * 8)
            : Avx2.PermuteVar8x32(Avx.LoadVector256(a + (kc - 1) * 6 - 2), Vector256.Create(2, 3, 4, 5, 6, 7, 0, 1));
        for (int j = 0; j < nr; j++)
        {
            Vector256<float> p = Vector256<float>.Zero, q = Vector256<float>.Zero;
            float* bj = b + j;
            int k = 0;
            for (; k + 1 < kc - 1; k += 2)
            {
                p = Fma.MultiplyAdd(Avx.LoadVector256(a + k * mr), Vector256.Create(bj[k * ldb]), p);
                q = Fma.MultiplyAdd(Avx.LoadVector256(a + (k + 1) * mr), Vector256.Create(bj[(k + 1) * ldb]), q);
            }
            // k = kc − 2 (when kc is even) and kc − 1 remain; the last one from its own load
            if (k < kc - 1) p = Fma.MultiplyAdd(Avx.LoadVector256(a + k * mr), Vector256.Create(bj[k * ldb]), p);
            Vector256<float> x = Vector256.Create(bj[(kc - 1) * ldb]);
            if ((kc - 1) % 2 == 0) p = Fma.MultiplyAdd(last, x, p); else q = Fma.MultiplyAdd(last, x, q);
            Vector256<float> sum = p + q;
            for (int i = 0; i < mr; i++) tile[i * ldt + j] = sum.GetElement(i);
        }
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
