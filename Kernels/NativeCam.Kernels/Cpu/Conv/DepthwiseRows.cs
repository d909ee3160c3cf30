using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>The vectorised row operations of the depthwise backward kernels, for each SIMD width.</summary>
internal static unsafe class DepthwiseRows
{
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
