using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// 6 × 2·V micro-kernel on Vector256 (6×16 floats, 6×8 doubles): 12 accumulators + 2 B vectors + 1 broadcast fit
/// the 16 ymm registers of AVX2. Each k step is 2 loads, 6 broadcasts and 12 FMAs.
/// </summary>
internal readonly unsafe struct MicroKernel256<T> : IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 6;
    public static int NR => 2 * Vector256<T>.Count;
    // BLIS Zen blocking: the KC×NR B micro-panel (16 KiB) stays in L1, the MC×KC A block (144 KiB) in L2,
    // and the KC×NC B block (4 MiB) in L3, so each A block is reused across a wide B block
    public static int KC => 256;
    public static int MC => 144;
    public static int NC => 4080;

    public static void Run(int kc, T* a, T* b, T* c, nint ldc, in TileStore<T> st) => RunB(kc, a, b, NR, c, ldc, st);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunB(int kc, T* a, T* b, nint ldb, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector256<T>.Count;
        if (st.ReadC) TileStore<T>.PrefetchRows(c, ldc, MR, 2 * v);
        if (st.HasResidual) TileStore<T>.PrefetchRows(c + st.Residual, ldc, MR, 2 * v); // read by the store, after the k loop
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int k = 0; k < kc; k++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + v);
            Vector256<T> x = Vector256.Create(a[0]);
            c00 = SimdOps.Fma(x, b0, c00); c01 = SimdOps.Fma(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = SimdOps.Fma(x, b0, c10); c11 = SimdOps.Fma(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = SimdOps.Fma(x, b0, c20); c21 = SimdOps.Fma(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = SimdOps.Fma(x, b0, c30); c31 = SimdOps.Fma(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = SimdOps.Fma(x, b0, c40); c41 = SimdOps.Fma(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = SimdOps.Fma(x, b0, c50); c51 = SimdOps.Fma(x, b1, c51);
            a += 6;
            b += ldb;
        }
        st.Store(c00, c, 0); st.Store(c01, c + v, 0); c += ldc;
        st.Store(c10, c, 1); st.Store(c11, c + v, 1); c += ldc;
        st.Store(c20, c, 2); st.Store(c21, c + v, 2); c += ldc;
        st.Store(c30, c, 3); st.Store(c31, c + v, 3); c += ldc;
        st.Store(c40, c, 4); st.Store(c41, c + v, 4); c += ldc;
        st.Store(c50, c, 5); st.Store(c51, c + v, 5);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunStrided(int kc, T* a, nint lda, T* b, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector256<T>.Count;
        if (st.ReadC) TileStore<T>.PrefetchRows(c, ldc, MR, 2 * v);
        if (st.HasResidual) TileStore<T>.PrefetchRows(c + st.Residual, ldc, MR, 2 * v); // read by the store, after the k loop
        T* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int k = 0; k < kc; k++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + v);
            Vector256<T> x = Vector256.Create(a0[k]);
            c00 = SimdOps.Fma(x, b0, c00); c01 = SimdOps.Fma(x, b1, c01);
            x = Vector256.Create(a1[k]);
            c10 = SimdOps.Fma(x, b0, c10); c11 = SimdOps.Fma(x, b1, c11);
            x = Vector256.Create(a2[k]);
            c20 = SimdOps.Fma(x, b0, c20); c21 = SimdOps.Fma(x, b1, c21);
            x = Vector256.Create(a3[k]);
            c30 = SimdOps.Fma(x, b0, c30); c31 = SimdOps.Fma(x, b1, c31);
            x = Vector256.Create(a4[k]);
            c40 = SimdOps.Fma(x, b0, c40); c41 = SimdOps.Fma(x, b1, c41);
            x = Vector256.Create(a5[k]);
            c50 = SimdOps.Fma(x, b0, c50); c51 = SimdOps.Fma(x, b1, c51);
            b += 2 * v;
        }
        st.Store(c00, c, 0); st.Store(c01, c + v, 0); c += ldc;
        st.Store(c10, c, 1); st.Store(c11, c + v, 1); c += ldc;
        st.Store(c20, c, 2); st.Store(c21, c + v, 2); c += ldc;
        st.Store(c30, c, 3); st.Store(c31, c + v, 3); c += ldc;
        st.Store(c40, c, 4); st.Store(c41, c + v, 4); c += ldc;
        st.Store(c50, c, 5); st.Store(c51, c + v, 5);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, T* a, nint lda, T* b, T* tile)
    {
        // two accumulator sets (even and odd k) give 12 independent FMA chains
        nint s = lda == 0 ? MR : 1;
        T* a0 = lda == 0 ? a + 0 : a + 0 * lda;
        T* a1 = lda == 0 ? a + 1 : a + 1 * lda;
        T* a2 = lda == 0 ? a + 2 : a + 2 * lda;
        T* a3 = lda == 0 ? a + 3 : a + 3 * lda;
        T* a4 = lda == 0 ? a + 4 : a + 4 * lda;
        T* a5 = lda == 0 ? a + 5 : a + 5 * lda;
        Vector256<T> p0 = default, q0 = default, p1 = default, q1 = default, p2 = default, q2 = default, p3 = default, q3 = default, p4 = default, q4 = default, p5 = default, q5 = default;
        int k = 0;
        for (; k + 1 < kc; k += 2)
        {
            Vector256<T> b0 = Vector256.Load(b + k * NR), b1 = Vector256.Load(b + (k + 1) * NR);
            p0 = SimdOps.Fma(Vector256.Create(a0[k * s]), b0, p0);
            p1 = SimdOps.Fma(Vector256.Create(a1[k * s]), b0, p1);
            p2 = SimdOps.Fma(Vector256.Create(a2[k * s]), b0, p2);
            p3 = SimdOps.Fma(Vector256.Create(a3[k * s]), b0, p3);
            p4 = SimdOps.Fma(Vector256.Create(a4[k * s]), b0, p4);
            p5 = SimdOps.Fma(Vector256.Create(a5[k * s]), b0, p5);
            q0 = SimdOps.Fma(Vector256.Create(a0[(k + 1) * s]), b1, q0);
            q1 = SimdOps.Fma(Vector256.Create(a1[(k + 1) * s]), b1, q1);
            q2 = SimdOps.Fma(Vector256.Create(a2[(k + 1) * s]), b1, q2);
            q3 = SimdOps.Fma(Vector256.Create(a3[(k + 1) * s]), b1, q3);
            q4 = SimdOps.Fma(Vector256.Create(a4[(k + 1) * s]), b1, q4);
            q5 = SimdOps.Fma(Vector256.Create(a5[(k + 1) * s]), b1, q5);
        }
        if (k < kc)
        {
            Vector256<T> b0 = Vector256.Load(b + k * NR);
            p0 = SimdOps.Fma(Vector256.Create(a0[k * s]), b0, p0);
            p1 = SimdOps.Fma(Vector256.Create(a1[k * s]), b0, p1);
            p2 = SimdOps.Fma(Vector256.Create(a2[k * s]), b0, p2);
            p3 = SimdOps.Fma(Vector256.Create(a3[k * s]), b0, p3);
            p4 = SimdOps.Fma(Vector256.Create(a4[k * s]), b0, p4);
            p5 = SimdOps.Fma(Vector256.Create(a5[k * s]), b0, p5);
        }
        (p0 + q0).Store(tile + 0 * NR);
        (p1 + q1).Store(tile + 1 * NR);
        (p2 + q2).Store(tile + 2 * NR);
        (p3 + q3).Store(tile + 3 * NR);
        (p4 + q4).Store(tile + 4 * NR);
        (p5 + q5).Store(tile + 5 * NR);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreRows(T* tile, int rows, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector256<T>.Count;
        for (int i = 0; i < rows; i++, c += ldc)
        {
            st.Store(Vector256.Load(tile + i * NR), c, i);
            st.Store(Vector256.Load(tile + i * NR + v), c + v, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int StoreLeft(T* tile, int rows, int cols, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector256<T>.Count, whole = cols / v * v;
        for (int i = 0; i < rows; i++, c += ldc)
            for (int j = 0; j < whole; j += v)
                st.Store(Vector256.Load(tile + i * NR + j), c + j, i);
        return whole;
    }

    public static bool TryRunHalfAndColumn(int kc, T* a, T* b, T* tile) => false;
}
