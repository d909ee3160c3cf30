using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>Packing of dense operands into the micro-kernel panel layouts, zero-padded at the edges.</summary>
internal static unsafe class Packing
{
    /// <summary>
    /// Packs op(A)[i0..i0+mc, k0..k0+kc) into ⌈mc/mr⌉ panels of mr rows: panel p holds dst[p·mr·kc + k·mr + i].
    /// A(i, k) = a[i·lda + k], or a[k·lda + i] when <paramref name="trans"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(T* a, nint lda, bool trans, int i0, int mc, int k0, int kc, int mr, T* dst)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ip = 0; ip < mc; ip += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - ip);
            if (!trans)
            {
                for (int i = 0; i < rows; i++)
                {
                    T* src = a + (i0 + ip + i) * lda + k0;
                    T* d = dst + i;
                    for (int k = 0; k < kc; k++, d += mr) *d = src[k];
                }
                for (int i = rows; i < mr; i++)
                    for (int k = 0; k < kc; k++) dst[k * mr + i] = T.Zero;
            }
            else
            {
                T* src = a + (nint)k0 * lda + i0 + ip;
                for (int k = 0; k < kc; k++, src += lda)
                {
                    T* d = dst + k * mr;
                    int i = 0;
                    for (; i < rows; i++) d[i] = src[i];
                    for (; i < mr; i++) d[i] = T.Zero;
                }
            }
        }
    }

    /// <summary>
    /// Packs B[k0..k0+kc, j0..j0+width) as ⌈width/nr⌉ consecutive panels: panel p holds dst[p·kc·nr + k·nr + j],
    /// zero for columns past width. B(k, j) = b[k·ldb + j], or b[j·ldb + k] when <paramref name="trans"/>.
    /// Rows are walked outermost so a row of B is read as one contiguous run across the panels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(T* b, nint ldb, bool trans, int k0, int kc, int j0, int width, T* dst, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int panels = (width + nr - 1) / nr;
        nint panelSize = (nint)kc * nr;
        if (!trans)
        {
            T* src = b + (nint)k0 * ldb + j0;
            for (int k = 0; k < kc; k++, src += ldb)
                for (int p = 0; p < panels; p++)
                    CopyPad(src + p * nr, dst + p * panelSize + k * nr, Math.Min(nr, width - p * nr), nr);
            return;
        }
        for (int p = 0; p < panels; p++, dst += panelSize)
        {
            int w = Math.Min(nr, width - p * nr);
            if (w < nr)
                for (int k = 0; k < kc; k++)
                    for (int j = w; j < nr; j++) dst[k * nr + j] = T.Zero;
            for (int j = 0; j < w; j++)
            {
                T* src = b + (j0 + p * nr + j) * ldb + k0;
                T* d = dst + j;
                for (int k = 0; k < kc; k++, d += nr) *d = src[k];
            }
        }
    }

    /// <summary>dst[0..n) = src[0..n), dst[n..total) = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyPad<T>(T* src, T* dst, int n, int total) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + Vector256<T>.Count <= n; j += Vector256<T>.Count) Vector256.Load(src + j).Store(dst + j);
        for (; j < n; j++) dst[j] = src[j];
        for (; j < total; j++) dst[j] = T.Zero;
    }
}
