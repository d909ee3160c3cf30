using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>The vectorised row operations of the depthwise kernels, for each SIMD width.</summary>
internal static unsafe class DepthwiseRows
{
    /// <summary>out[i] = clamp(b + Σₜ w[t]·tap[t][i]) for i &lt; n. Taps may be read up to one vector past n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Taps<T>(SimdLevel simd, T* dst, int n, T** taps, T* w, int ntaps, T b, bool clamp, T lo, T hi)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T* tmp = stackalloc T[Vector512<T>.Count];
        if (ntaps == 9 && simd == SimdLevel.Vector256)
        {
            Taps9x256(dst, n, taps, w, b, clamp, lo, hi);
            return;
        }
        if (ntaps == 9 && simd == SimdLevel.Vector512)
        {
            Taps9x512(dst, n, taps, w, b, clamp, lo, hi);
            return;
        }
        if (simd == SimdLevel.Vector512)
        {
            int v = Vector512<T>.Count;
            for (; i < n; i += v)
            {
                var acc = Vector512.Create(b);
                for (int t = 0; t < ntaps; t++) acc = SimdOps.Fma(Vector512.Load(taps[t] + i), Vector512.Create(w[t]), acc);
                if (clamp) acc = Vector512.MinNative(Vector512.MaxNative(acc, Vector512.Create(lo)), Vector512.Create(hi));
                if (i + v <= n) acc.Store(dst + i);
                else { acc.Store(tmp); for (int j = i; j < n; j++) dst[j] = tmp[j - i]; }
            }
        }
        else if (simd == SimdLevel.Vector256)
        {
            int v = Vector256<T>.Count;
            for (; i < n; i += v)
            {
                var acc = Vector256.Create(b);
                for (int t = 0; t < ntaps; t++) acc = SimdOps.Fma(Vector256.Load(taps[t] + i), Vector256.Create(w[t]), acc);
                if (clamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, Vector256.Create(lo)), Vector256.Create(hi));
                if (i + v <= n) acc.Store(dst + i);
                else { acc.Store(tmp); for (int j = i; j < n; j++) dst[j] = tmp[j - i]; }
            }
        }
        else
        {
            for (; i < n; i++)
            {
                T acc = b;
                for (int t = 0; t < ntaps; t++) acc += taps[t][i] * w[t];
                dst[i] = clamp ? T.Min(T.Max(acc, lo), hi) : acc;
            }
        }
    }

    /// <summary><see cref="Taps{T}"/> for 3×3 kernels on Vector256: the nine weights stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Taps9x256<T>(T* dst, int n, T** taps, T* w, T b, bool clamp, T lo, T hi)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count;
        T* t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        Vector256<T> w0 = Vector256.Create(w[0]), w1 = Vector256.Create(w[1]), w2 = Vector256.Create(w[2]);
        Vector256<T> w3 = Vector256.Create(w[3]), w4 = Vector256.Create(w[4]), w5 = Vector256.Create(w[5]);
        Vector256<T> w6 = Vector256.Create(w[6]), w7 = Vector256.Create(w[7]), w8 = Vector256.Create(w[8]);
        Vector256<T> vb = Vector256.Create(b), vlo = Vector256.Create(lo), vhi = Vector256.Create(hi);
        T* tmp = stackalloc T[Vector256<T>.Count];
        for (int i = 0; i < n; i += v)
        {
            Vector256<T> acc = SimdOps.Fma(Vector256.Load(t0 + i), w0, vb);
            acc = SimdOps.Fma(Vector256.Load(t1 + i), w1, acc);
            acc = SimdOps.Fma(Vector256.Load(t2 + i), w2, acc);
            Vector256<T> acc2 = Vector256.Load(t3 + i) * w3;
            acc2 = SimdOps.Fma(Vector256.Load(t4 + i), w4, acc2);
            acc2 = SimdOps.Fma(Vector256.Load(t5 + i), w5, acc2);
            acc = SimdOps.Fma(Vector256.Load(t6 + i), w6, acc);
            acc2 = SimdOps.Fma(Vector256.Load(t7 + i), w7, acc2);
            acc = SimdOps.Fma(Vector256.Load(t8 + i), w8, acc) + acc2;
            if (clamp) acc = Vector256.MinNative(Vector256.MaxNative(acc, vlo), vhi);
            if (i + v <= n) acc.Store(dst + i);
            else { acc.Store(tmp); for (int j = i; j < n; j++) dst[j] = tmp[j - i]; }
        }
    }

    /// <summary><see cref="Taps{T}"/> for 3×3 kernels on Vector512: the nine weights stay in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Taps9x512<T>(T* dst, int n, T** taps, T* w, T b, bool clamp, T lo, T hi)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector512<T>.Count;
        T* t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        Vector512<T> w0 = Vector512.Create(w[0]), w1 = Vector512.Create(w[1]), w2 = Vector512.Create(w[2]);
        Vector512<T> w3 = Vector512.Create(w[3]), w4 = Vector512.Create(w[4]), w5 = Vector512.Create(w[5]);
        Vector512<T> w6 = Vector512.Create(w[6]), w7 = Vector512.Create(w[7]), w8 = Vector512.Create(w[8]);
        Vector512<T> vb = Vector512.Create(b), vlo = Vector512.Create(lo), vhi = Vector512.Create(hi);
        T* tmp = stackalloc T[Vector512<T>.Count];
        for (int i = 0; i < n; i += v)
        {
            Vector512<T> acc = SimdOps.Fma(Vector512.Load(t0 + i), w0, vb);
            acc = SimdOps.Fma(Vector512.Load(t1 + i), w1, acc);
            acc = SimdOps.Fma(Vector512.Load(t2 + i), w2, acc);
            Vector512<T> acc2 = Vector512.Load(t3 + i) * w3;
            acc2 = SimdOps.Fma(Vector512.Load(t4 + i), w4, acc2);
            acc2 = SimdOps.Fma(Vector512.Load(t5 + i), w5, acc2);
            acc = SimdOps.Fma(Vector512.Load(t6 + i), w6, acc);
            acc2 = SimdOps.Fma(Vector512.Load(t7 + i), w7, acc2);
            acc = SimdOps.Fma(Vector512.Load(t8 + i), w8, acc) + acc2;
            if (clamp) acc = Vector512.MinNative(Vector512.MaxNative(acc, vlo), vhi);
            if (i + v <= n) acc.Store(dst + i);
            else { acc.Store(tmp); for (int j = i; j < n; j++) dst[j] = tmp[j - i]; }
        }
    }

    /// <summary>y[i] += a·x[i] for i &lt; n (no access past n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy<T>(SimdLevel simd, T* y, T* x, T a, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (simd == SimdLevel.Vector512)
        {
            var va = Vector512.Create(a);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                SimdOps.Fma(Vector512.Load(x + i), va, Vector512.Load(y + i)).Store(y + i);
        }
        else if (simd == SimdLevel.Vector256)
        {
            var va = Vector256.Create(a);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                SimdOps.Fma(Vector256.Load(x + i), va, Vector256.Load(y + i)).Store(y + i);
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>Σ_r Σ_{i&lt;n} a[r·strideA + i]·b[r·strideB + i] over <paramref name="rows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T DotRows<T>(SimdLevel simd, T* a, nint strideA, T* b, nint strideB, int n, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        if (simd == SimdLevel.Vector512)
        {
            var acc = Vector512<T>.Zero;
            for (int r = 0; r < rows; r++, a += strideA, b += strideB)
            {
                int i = 0;
                for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count) acc = SimdOps.Fma(Vector512.Load(a + i), Vector512.Load(b + i), acc);
                for (; i < n; i++) sum += a[i] * b[i];
            }
            return sum + Vector512.Sum(acc);
        }
        if (simd == SimdLevel.Vector256)
        {
            var acc = Vector256<T>.Zero;
            for (int r = 0; r < rows; r++, a += strideA, b += strideB)
            {
                int i = 0;
                for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) acc = SimdOps.Fma(Vector256.Load(a + i), Vector256.Load(b + i), acc);
                for (; i < n; i++) sum += a[i] * b[i];
            }
            return sum + Vector256.Sum(acc);
        }
        for (int r = 0; r < rows; r++, a += strideA, b += strideB)
            for (int i = 0; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
