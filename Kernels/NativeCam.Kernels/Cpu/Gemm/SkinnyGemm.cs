using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// GEMM with few rows (M ≤ <see cref="MaxRows"/>: a batch of one image through a dense layer, the head of a CAM
/// probe). Packing B would read and write all of B to use it M times; here B streams once per call instead:
/// C[i,:] += αA[i,k]·B[k,:] row by row of B (B as stored), or C[i,j] = α⟨A[i,:], B[j,:]⟩ for a transposed B, its
/// rows one after another (a single sequential stream: four rows read side by side, 5 KB each for a 1280-wide
/// classifier, restarted the prefetcher every 20 KB; `dense-1280to1000-coldw` 19 → 35 GB/s). Columns are split
/// between threads.
/// </summary>
internal static unsafe class SkinnyGemm
{
    /// <summary>Rows per call of <see cref="Run"/>.</summary>
    public const int MaxRows = 4;

    /// <summary>
    /// Largest M run through this kernel, <see cref="MaxRows"/> rows at a time: B then streams ⌈M/4⌉ times, which
    /// costs about what packing it costs up to here, and every row's result is independent of M (batch invariance).
    /// </summary>
    public const int RowInvariantRows = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(CpuKernels cpu, SimdLevel simd, in GemmParams p, T* a, T* b, T* c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = p.M, n = p.N, k = p.K, lda = p.LdaOrDefault, ldb = p.LdbOrDefault, ldc = p.LdcOrDefault;
        T alpha = T.CreateChecked(p.Alpha), beta = T.CreateChecked(p.Beta);
        bool transA = p.TransA, transB = p.TransB;
        var rows = new T[m * k]; // A's rows, contiguous and scaled by α
        int chunks = Math.Max(1, Math.Min(cpu.Threads, n / 256));
        for (int batch = 0; batch < p.Batch; batch++)
        {
            T* ab = a + p.OffsetA + batch * p.StrideA, bb = b + p.OffsetB + batch * p.StrideB, cb = c + p.OffsetC + batch * p.StrideC;
            for (int i = 0; i < m; i++)
                for (int kk = 0; kk < k; kk++)
                    rows[i * k + kk] = alpha * (transA ? ab[(long)kk * lda + i] : ab[(long)i * lda + kk]);
            cpu.ParallelFor(chunks, (long)m * n * k, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (chunk) =>
            {
                int j0 = (int)((long)n * chunk / chunks), j1 = (int)((long)n * (chunk + 1) / chunks);
                fixed (T* r = rows)
                {
                    for (int i = 0; i < m; i++)
                    {
                        T* ci = cb + (long)i * ldc;
                        for (int j = j0; j < j1; j++) ci[j] = beta == T.Zero ? T.Zero : beta * ci[j];
                    }
                    if (transB)
                    {
                        // four rows of B at a time: four independent FMA chains hide the FMA latency, and the rows
                        // stay in L1 while every row of A meets them (each dot still sums in Dot's order)
                        for (int j = j0; j < j1; j++)
                            for (int i = 0; i < m; i++)
                                cb[(long)i * ldc + j] += DotRow(simd, r + i * k, bb + (long)j * ldb, k);
                    }
                    else
                    {
                        // four rows of B per pass over a row of C: one load and store of C per four FMAs (C's rows
                        // stay in L1); the FMAs chain in k's order, as four single-row passes would
                        int kk = 0;
                        for (; kk + 4 <= k; kk += 4)
                            for (int i = 0; i < m; i++)
                                Axpy4(simd, r + i * k + kk, bb + (long)kk * ldb + j0, ldb, cb + (long)i * ldc + j0, j1 - j0);
                        for (; kk < k; kk++)
                            for (int i = 0; i < m; i++)
                                Axpy(simd, r[i * k + kk], bb + (long)kk * ldb + j0, cb + (long)i * ldc + j0, j1 - j0);
                    }
                }
            });
        }
    }

    /// <summary>y += s·x over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy<T>(SimdLevel simd, T s, T* x, T* y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (s == T.Zero) return;
        if (simd == SimdLevel.Vector512)
        {
            var vs = Vector512.Create(s);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                Vector512.Store(SimdOps.Fma(vs, Vector512.Load(x + i), Vector512.Load(y + i)), y + i);
        }
        else if (simd == SimdLevel.Vector256)
        {
            var vs = Vector256.Create(s);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                Vector256.Store(SimdOps.Fma(vs, Vector256.Load(x + i), Vector256.Load(y + i)), y + i);
        }
        for (; i < n; i++) y[i] += s * x[i];
    }

    /// <summary>y += s[0]·x + s[1]·(x + ldx) + s[2]·(x + 2ldx) + s[3]·(x + 3ldx), added in that order (exactly four
    /// <see cref="Axpy"/> calls; with a zero coefficient it makes them, which skip it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpy4<T>(SimdLevel simd, T* s, T* x, nint ldx, T* y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        T* x0 = x, x1 = x + ldx, x2 = x1 + ldx, x3 = x2 + ldx;
        if (s0 == T.Zero || s1 == T.Zero || s2 == T.Zero || s3 == T.Zero)
        {
            Axpy(simd, s0, x0, y, n);
            Axpy(simd, s1, x1, y, n);
            Axpy(simd, s2, x2, y, n);
            Axpy(simd, s3, x3, y, n);
            return;
        }
        int i = 0;
        if (simd == SimdLevel.Vector512)
        {
            Vector512<T> v0 = Vector512.Create(s0), v1 = Vector512.Create(s1), v2 = Vector512.Create(s2), v3 = Vector512.Create(s3);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var acc = SimdOps.Fma(v0, Vector512.Load(x0 + i), Vector512.Load(y + i));
                acc = SimdOps.Fma(v1, Vector512.Load(x1 + i), acc);
                acc = SimdOps.Fma(v2, Vector512.Load(x2 + i), acc);
                Vector512.Store(SimdOps.Fma(v3, Vector512.Load(x3 + i), acc), y + i);
            }
        }
        else if (simd == SimdLevel.Vector256)
        {
            Vector256<T> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), v2 = Vector256.Create(s2), v3 = Vector256.Create(s3);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var acc = SimdOps.Fma(v0, Vector256.Load(x0 + i), Vector256.Load(y + i));
                acc = SimdOps.Fma(v1, Vector256.Load(x1 + i), acc);
                acc = SimdOps.Fma(v2, Vector256.Load(x2 + i), acc);
                Vector256.Store(SimdOps.Fma(v3, Vector256.Load(x3 + i), acc), y + i);
            }
        }
        for (; i < n; i++)
        {
            T t = y[i] + s0 * x0[i];
            t += s1 * x1[i];
            t += s2 * x2[i];
            y[i] = t + s3 * x3[i];
        }
    }

    /// <summary>⟨x, y⟩ over n elements with four vector accumulators (k, k + V, k + 2V, k + 3V), added pairwise at
    /// the end: B's rows are read one after another, one sequential stream for the hardware prefetcher.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T DotRow<T>(SimdLevel simd, T* x, T* y, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T sum = T.Zero;
        if (simd == SimdLevel.Vector512)
        {
            int v = Vector512<T>.Count;
            Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * v; i += 4 * v)
            {
                a0 = SimdOps.Fma(Vector512.Load(x + i), Vector512.Load(y + i), a0);
                a1 = SimdOps.Fma(Vector512.Load(x + i + v), Vector512.Load(y + i + v), a1);
                a2 = SimdOps.Fma(Vector512.Load(x + i + 2 * v), Vector512.Load(y + i + 2 * v), a2);
                a3 = SimdOps.Fma(Vector512.Load(x + i + 3 * v), Vector512.Load(y + i + 3 * v), a3);
            }
            for (; i <= n - v; i += v) a0 = SimdOps.Fma(Vector512.Load(x + i), Vector512.Load(y + i), a0);
            sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        }
        else if (simd == SimdLevel.Vector256)
        {
            int v = Vector256<T>.Count;
            Vector256<T> a0 = Vector256<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (; i <= n - 4 * v; i += 4 * v)
            {
                a0 = SimdOps.Fma(Vector256.Load(x + i), Vector256.Load(y + i), a0);
                a1 = SimdOps.Fma(Vector256.Load(x + i + v), Vector256.Load(y + i + v), a1);
                a2 = SimdOps.Fma(Vector256.Load(x + i + 2 * v), Vector256.Load(y + i + 2 * v), a2);
                a3 = SimdOps.Fma(Vector256.Load(x + i + 3 * v), Vector256.Load(y + i + 3 * v), a3);
            }
            for (; i <= n - v; i += v) a0 = SimdOps.Fma(Vector256.Load(x + i), Vector256.Load(y + i), a0);
            sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
        for (; i < n; i++) sum += x[i] * y[i];
        return sum;
    }
}
