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

    public static void Run(int kc, T* a, T* b, T* c, nint ldc, in TileStore<T> st) => RunB(kc, a, b, NR, c, ldc, st);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunB(int kc, T* a, T* b, nint ldb, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector512<T>.Count;
        if (st.ReadC) TileStore<T>.PrefetchRows(c, ldc, MR, 2 * v);
        if (st.HasResidual) TileStore<T>.PrefetchRows(c + st.Residual, ldc, MR, 2 * v); // read by the store, after the k loop
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
            b += ldb;
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
        if (st.HasResidual) TileStore<T>.PrefetchRows(c + st.Residual, ldc, MR, 2 * v); // read by the store, after the k loop
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunHalf(int kc, T* a, nint lda, T* b, T* tile)
    {
        // two accumulator sets (even and odd k) give 16 independent FMA chains
        nint s = lda == 0 ? MR : 1;
        T* a0 = lda == 0 ? a + 0 : a + 0 * lda;
        T* a1 = lda == 0 ? a + 1 : a + 1 * lda;
        T* a2 = lda == 0 ? a + 2 : a + 2 * lda;
        T* a3 = lda == 0 ? a + 3 : a + 3 * lda;
        T* a4 = lda == 0 ? a + 4 : a + 4 * lda;
        T* a5 = lda == 0 ? a + 5 : a + 5 * lda;
        T* a6 = lda == 0 ? a + 6 : a + 6 * lda;
        T* a7 = lda == 0 ? a + 7 : a + 7 * lda;
        Vector512<T> p0 = default, q0 = default, p1 = default, q1 = default, p2 = default, q2 = default, p3 = default, q3 = default, p4 = default, q4 = default, p5 = default, q5 = default, p6 = default, q6 = default, p7 = default, q7 = default;
        int k = 0;
        for (; k + 1 < kc; k += 2)
        {
            Vector512<T> b0 = Vector512.Load(b + k * NR), b1 = Vector512.Load(b + (k + 1) * NR);
            p0 = SimdOps.Fma(Vector512.Create(a0[k * s]), b0, p0);
            p1 = SimdOps.Fma(Vector512.Create(a1[k * s]), b0, p1);
            p2 = SimdOps.Fma(Vector512.Create(a2[k * s]), b0, p2);
            p3 = SimdOps.Fma(Vector512.Create(a3[k * s]), b0, p3);
            p4 = SimdOps.Fma(Vector512.Create(a4[k * s]), b0, p4);
            p5 = SimdOps.Fma(Vector512.Create(a5[k * s]), b0, p5);
            p6 = SimdOps.Fma(Vector512.Create(a6[k * s]), b0, p6);
            p7 = SimdOps.Fma(Vector512.Create(a7[k * s]), b0, p7);
            q0 = SimdOps.Fma(Vector512.Create(a0[(k + 1) * s]), b1, q0);
            q1 = SimdOps.Fma(Vector512.Create(a1[(k + 1) * s]), b1, q1);
            q2 = SimdOps.Fma(Vector512.Create(a2[(k + 1) * s]), b1, q2);
            q3 = SimdOps.Fma(Vector512.Create(a3[(k + 1) * s]), b1, q3);
            q4 = SimdOps.Fma(Vector512.Create(a4[(k + 1) * s]), b1, q4);
            q5 = SimdOps.Fma(Vector512.Create(a5[(k + 1) * s]), b1, q5);
            q6 = SimdOps.Fma(Vector512.Create(a6[(k + 1) * s]), b1, q6);
            q7 = SimdOps.Fma(Vector512.Create(a7[(k + 1) * s]), b1, q7);
        }
        if (k < kc)
        {
            Vector512<T> b0 = Vector512.Load(b + k * NR);
            p0 = SimdOps.Fma(Vector512.Create(a0[k * s]), b0, p0);
            p1 = SimdOps.Fma(Vector512.Create(a1[k * s]), b0, p1);
            p2 = SimdOps.Fma(Vector512.Create(a2[k * s]), b0, p2);
            p3 = SimdOps.Fma(Vector512.Create(a3[k * s]), b0, p3);
            p4 = SimdOps.Fma(Vector512.Create(a4[k * s]), b0, p4);
            p5 = SimdOps.Fma(Vector512.Create(a5[k * s]), b0, p5);
            p6 = SimdOps.Fma(Vector512.Create(a6[k * s]), b0, p6);
            p7 = SimdOps.Fma(Vector512.Create(a7[k * s]), b0, p7);
        }
        (p0 + q0).Store(tile + 0 * NR);
        (p1 + q1).Store(tile + 1 * NR);
        (p2 + q2).Store(tile + 2 * NR);
        (p3 + q3).Store(tile + 3 * NR);
        (p4 + q4).Store(tile + 4 * NR);
        (p5 + q5).Store(tile + 5 * NR);
        (p6 + q6).Store(tile + 6 * NR);
        (p7 + q7).Store(tile + 7 * NR);
    }

    /// <summary>
    /// <see cref="RunHalf"/> with packed A plus column NR/2 of the panel into tile[i·NR + NR/2] (a 7×7 map's 17-column
    /// edge tile) in the same k loop: per k one more FMA, of the eight rows' packed A values (a Vector256, already in
    /// L1 for the broadcasts) with the broadcast B value, even and odd k apart and added at the end, as
    /// <see cref="ColumnTail.Run"/> sums them, bit for bit. Float32 only (eight rows are one Vector256).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRunHalfAndColumn(int kc, T* a, T* b, T* tile)
    {
        if (typeof(T) != typeof(float)) return false;
        int h = NR / 2;
        Vector512<T> p0 = default, q0 = default, p1 = default, q1 = default, p2 = default, q2 = default, p3 = default, q3 = default, p4 = default, q4 = default, p5 = default, q5 = default, p6 = default, q6 = default, p7 = default, q7 = default;
        Vector256<T> pt = default, qt = default;
        int k = 0;
        for (; k + 1 < kc; k += 2)
        {
            T* ak = a + k * MR, bk = b + k * NR;
            Vector512<T> b0 = Vector512.Load(bk), b1 = Vector512.Load(bk + NR);
            p0 = SimdOps.Fma(Vector512.Create(ak[0]), b0, p0);
            p1 = SimdOps.Fma(Vector512.Create(ak[1]), b0, p1);
            p2 = SimdOps.Fma(Vector512.Create(ak[2]), b0, p2);
            p3 = SimdOps.Fma(Vector512.Create(ak[3]), b0, p3);
            p4 = SimdOps.Fma(Vector512.Create(ak[4]), b0, p4);
            p5 = SimdOps.Fma(Vector512.Create(ak[5]), b0, p5);
            p6 = SimdOps.Fma(Vector512.Create(ak[6]), b0, p6);
            p7 = SimdOps.Fma(Vector512.Create(ak[7]), b0, p7);
            pt = SimdOps.Fma(Vector256.Load(ak), Vector256.Create(bk[h]), pt);
            q0 = SimdOps.Fma(Vector512.Create(ak[MR + 0]), b1, q0);
            q1 = SimdOps.Fma(Vector512.Create(ak[MR + 1]), b1, q1);
            q2 = SimdOps.Fma(Vector512.Create(ak[MR + 2]), b1, q2);
            q3 = SimdOps.Fma(Vector512.Create(ak[MR + 3]), b1, q3);
            q4 = SimdOps.Fma(Vector512.Create(ak[MR + 4]), b1, q4);
            q5 = SimdOps.Fma(Vector512.Create(ak[MR + 5]), b1, q5);
            q6 = SimdOps.Fma(Vector512.Create(ak[MR + 6]), b1, q6);
            q7 = SimdOps.Fma(Vector512.Create(ak[MR + 7]), b1, q7);
            qt = SimdOps.Fma(Vector256.Load(ak + MR), Vector256.Create(bk[NR + h]), qt);
        }
        if (k < kc)
        {
            T* ak = a + k * MR, bk = b + k * NR;
            Vector512<T> b0 = Vector512.Load(bk);
            p0 = SimdOps.Fma(Vector512.Create(ak[0]), b0, p0);
            p1 = SimdOps.Fma(Vector512.Create(ak[1]), b0, p1);
            p2 = SimdOps.Fma(Vector512.Create(ak[2]), b0, p2);
            p3 = SimdOps.Fma(Vector512.Create(ak[3]), b0, p3);
            p4 = SimdOps.Fma(Vector512.Create(ak[4]), b0, p4);
            p5 = SimdOps.Fma(Vector512.Create(ak[5]), b0, p5);
            p6 = SimdOps.Fma(Vector512.Create(ak[6]), b0, p6);
            p7 = SimdOps.Fma(Vector512.Create(ak[7]), b0, p7);
            pt = SimdOps.Fma(Vector256.Load(ak), Vector256.Create(bk[h]), pt);
        }
        (p0 + q0).Store(tile + 0 * NR);
        (p1 + q1).Store(tile + 1 * NR);
        (p2 + q2).Store(tile + 2 * NR);
        (p3 + q3).Store(tile + 3 * NR);
        (p4 + q4).Store(tile + 4 * NR);
        (p5 + q5).Store(tile + 5 * NR);
        (p6 + q6).Store(tile + 6 * NR);
        (p7 + q7).Store(tile + 7 * NR);
        var column = pt + qt;
        for (int i = 0; i < MR; i++) tile[i * NR + h] = column.GetElement(i);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreRows(T* tile, int rows, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector512<T>.Count;
        for (int i = 0; i < rows; i++, c += ldc)
        {
            st.Store(Vector512.Load(tile + i * NR), c, i);
            st.Store(Vector512.Load(tile + i * NR + v), c + v, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int StoreLeft(T* tile, int rows, int cols, T* c, nint ldc, in TileStore<T> st)
    {
        int v = Vector512<T>.Count, whole = cols / v * v;
        for (int i = 0; i < rows; i++, c += ldc)
            for (int j = 0; j < whole; j += v)
                st.Store(Vector512.Load(tile + i * NR + j), c + j, i);
        return whole;
    }
}
