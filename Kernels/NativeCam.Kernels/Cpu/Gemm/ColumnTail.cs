using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// The last one or two columns of a 6-row float32 tile (a 7×7 map is 49 columns: three full 16-wide panels and one
/// column), vectorised down the rows instead of along the columns: per k one FMA of the six packed A values (a
/// Vector256 whose two top lanes are ignored) with the broadcast B value, where the half-width tile kernel spends
/// six FMAs on eight columns to keep one. The arithmetic is the half-width kernel's (even and odd k in two
/// accumulators, added at the end), so every path through the driver gives the same bits.
/// </summary>
internal static unsafe class ColumnTail
{
    /// <summary>Whether a tile of <paramref name="nr"/> columns with packed A of depth <paramref name="kc"/> goes here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Applies<T>(int mr, int nr, int kc) =>
        typeof(T) == typeof(float) && mr == 6 && nr <= 2 && kc >= 2 && Avx2.IsSupported && Fma.IsSupported;

    /// <summary>tile[i·ldt + j] = Σ_k a[k·6 + i]·b[k·ldb + j] for i &lt; 6, j &lt; <paramref name="nr"/> (raw, no store rule).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, nint ldb, int nr, float* tile, int ldt)
    {
        // the last k's six values end the panel: load them two elements early and rotate them into lanes 0–5
        Vector256<int> rotate = Vector256.Create(2, 3, 4, 5, 6, 7, 0, 1);
        Vector256<float> last = Avx2.PermuteVar8x32(Avx.LoadVector256(a + (kc - 1) * 6 - 2), rotate);
        for (int j = 0; j < nr; j++)
        {
            Vector256<float> p = Vector256<float>.Zero, q = Vector256<float>.Zero;
            float* bj = b + j;
            int k = 0;
            for (; k + 1 < kc - 1; k += 2)
            {
                p = Fma.MultiplyAdd(Avx.LoadVector256(a + k * 6), Vector256.Create(bj[k * ldb]), p);
                q = Fma.MultiplyAdd(Avx.LoadVector256(a + (k + 1) * 6), Vector256.Create(bj[(k + 1) * ldb]), q);
            }
            // k = kc − 2 (when kc is even) and kc − 1 remain; the last one from the rotated load
            if (k < kc - 1) p = Fma.MultiplyAdd(Avx.LoadVector256(a + k * 6), Vector256.Create(bj[k * ldb]), p);
            Vector256<float> x = Vector256.Create(bj[(kc - 1) * ldb]);
            if ((kc - 1) % 2 == 0) p = Fma.MultiplyAdd(last, x, p); else q = Fma.MultiplyAdd(last, x, q);
            Vector256<float> sum = p + q;
            for (int i = 0; i < 6; i++) tile[i * ldt + j] = sum.GetElement(i);
        }
    }
}
