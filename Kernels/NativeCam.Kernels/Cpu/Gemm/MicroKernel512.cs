using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// 8 × 2·V micro-kernel on Vector512 (8×32 floats, 8×16 doubles): 16 accumulators hide the FMA latency on two
/// FMA ports; each k step is 2 loads, 8 broadcasts and 16 FMAs, well inside the load bandwidth.
/// </summary>
internal readonly unsafe struct MicroKernel512<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 8;
    public static int NR => 2 * Vector512<T>.Count;
    public static int KC => 256;
    public static int MC => 128;
    // the packed B block (KC×NC, 512 KiB) stays in a ≥ 1 MiB L2 next to the A block
    public static int NC => 524288 / (sizeof(T) * 256);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector512<T>.Count;
        if (st.ReadC) TileStore<T>.PrefetchRows(c, ldc, MR, 2 * v);
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int k = 0; k < kc; k++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + v);
            Vector512<T> x = Vector512.Create(a[0]);
            c00 = SimdOps.Fma(x, b0, c00); c01 = SimdOps.Fma(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = SimdOps.Fma(x, b0, c10); c11 = SimdOps.Fma(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = SimdOps.Fma(x, b0, c20); c21 = SimdOps.Fma(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = SimdOps.Fma(x, b0, c30); c31 = SimdOps.Fma(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = SimdOps.Fma(x, b0, c40); c41 = SimdOps.Fma(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = SimdOps.Fma(x, b0, c50); c51 = SimdOps.Fma(x, b1, c51);
            x = Vector512.Create(a[6]);
            c60 = SimdOps.Fma(x, b0, c60); c61 = SimdOps.Fma(x, b1, c61);
            x = Vector512.Create(a[7]);
            c70 = SimdOps.Fma(x, b0, c70); c71 = SimdOps.Fma(x, b1, c71);
            a += 8;
            b += 2 * v;
        }
        st.Store(c00, c, 0); st.Store(c01, c + v, 0); c += ldc;
        st.Store(c10, c, 1); st.Store(c11, c + v, 1); c += ldc;
        st.Store(c20, c, 2); st.Store(c21, c + v, 2); c += ldc;
        st.Store(c30, c, 3); st.Store(c31, c + v, 3); c += ldc;
        st.Store(c40, c, 4); st.Store(c41, c + v, 4); c += ldc;
        st.Store(c50, c, 5); st.Store(c51, c + v, 5); c += ldc;
        st.Store(c60, c, 6); st.Store(c61, c + v, 6); c += ldc;
        st.Store(c70, c, 7); st.Store(c71, c + v, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunStrided(int kc, T* a, nint lda, T* b, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector512<T>.Count;
        if (st.ReadC) TileStore<T>.PrefetchRows(c, ldc, MR, 2 * v);
        T* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda, a7 = a + 7 * lda;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int k = 0; k < kc; k++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + v);
            Vector512<T> x = Vector512.Create(a0[k]);
            c00 = SimdOps.Fma(x, b0, c00); c01 = SimdOps.Fma(x, b1, c01);
            x = Vector512.Create(a1[k]);
            c10 = SimdOps.Fma(x, b0, c10); c11 = SimdOps.Fma(x, b1, c11);
            x = Vector512.Create(a2[k]);
            c20 = SimdOps.Fma(x, b0, c20); c21 = SimdOps.Fma(x, b1, c21);
            x = Vector512.Create(a3[k]);
            c30 = SimdOps.Fma(x, b0, c30); c31 = SimdOps.Fma(x, b1, c31);
            x = Vector512.Create(a4[k]);
            c40 = SimdOps.Fma(x, b0, c40); c41 = SimdOps.Fma(x, b1, c41);
            x = Vector512.Create(a5[k]);
            c50 = SimdOps.Fma(x, b0, c50); c51 = SimdOps.Fma(x, b1, c51);
            x = Vector512.Create(a6[k]);
            c60 = SimdOps.Fma(x, b0, c60); c61 = SimdOps.Fma(x, b1, c61);
            x = Vector512.Create(a7[k]);
            c70 = SimdOps.Fma(x, b0, c70); c71 = SimdOps.Fma(x, b1, c71);
            b += 2 * v;
        }
        st.Store(c00, c, 0); st.Store(c01, c + v, 0); c += ldc;
        st.Store(c10, c, 1); st.Store(c11, c + v, 1); c += ldc;
        st.Store(c20, c, 2); st.Store(c21, c + v, 2); c += ldc;
        st.Store(c30, c, 3); st.Store(c31, c + v, 3); c += ldc;
        st.Store(c40, c, 4); st.Store(c41, c + v, 4); c += ldc;
        st.Store(c50, c, 5); st.Store(c51, c + v, 5); c += ldc;
        st.Store(c60, c, 6); st.Store(c61, c + v, 6); c += ldc;
        st.Store(c70, c, 7); st.Store(c71, c + v, 7);
    }
}
