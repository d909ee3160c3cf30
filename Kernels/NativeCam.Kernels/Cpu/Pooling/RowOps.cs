using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Pooling;

/// <summary>
/// Contiguous row primitives shared by pooling and resize, each with a Vector512, a Vector256 and a scalar path
/// chosen by the caller's <see cref="SimdLevel"/>. Vector tails run scalar, so all paths give identical results
/// lane for lane (the same operations in the same order).
/// </summary>
internal static class RowOps
{
    /// <summary>
    /// One step of a running max with first-wins ties: where acc is not NaN and src is NaN or greater than acc,
    /// acc = src and code = k. Scanning window taps in row-major order gives the row-major first maximum, NaN first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxStep<T>(SimdLevel s, Span<T> acc, Span<T> code, ReadOnlySpan<T> src, T k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = acc.Length, i = 0;
        ref T a = ref MemoryMarshal.GetReference(acc);
        ref T c = ref MemoryMarshal.GetReference(code);
        ref T x = ref MemoryMarshal.GetReference(src);
        if (s == SimdLevel.Vector512)
        {
            var kv = Vector512.Create(k);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var av = Vector512.LoadUnsafe(ref a, (nuint)i);
                var xv = Vector512.LoadUnsafe(ref x, (nuint)i);
                // replace unless acc is NaN or src <= acc (false for NaN src)
                var m = Vector512.AndNot(Vector512.Equals(av, av), Vector512.LessThanOrEqual(xv, av));
                Vector512.ConditionalSelect(m, xv, av).StoreUnsafe(ref a, (nuint)i);
                Vector512.ConditionalSelect(m, kv, Vector512.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
            }
        }
        else if (s == SimdLevel.Vector256)
        {
            var kv = Vector256.Create(k);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var av = Vector256.LoadUnsafe(ref a, (nuint)i);
                var xv = Vector256.LoadUnsafe(ref x, (nuint)i);
                var m = Vector256.AndNot(Vector256.Equals(av, av), Vector256.LessThanOrEqual(xv, av));
                Vector256.ConditionalSelect(m, xv, av).StoreUnsafe(ref a, (nuint)i);
                Vector256.ConditionalSelect(m, kv, Vector256.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T av = Unsafe.Add(ref a, i), xv = Unsafe.Add(ref x, i);
            if (!T.IsNaN(av) && !(xv <= av)) { Unsafe.Add(ref a, i) = xv; Unsafe.Add(ref c, i) = k; }
        }
    }

    /// <summary>acc[i] += src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add<T>(SimdLevel s, Span<T> acc, ReadOnlySpan<T> src) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = acc.Length, i = 0;
        ref T a = ref MemoryMarshal.GetReference(acc);
        ref T x = ref MemoryMarshal.GetReference(src);
        if (s == SimdLevel.Vector512)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref a, (nuint)i) + Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        else if (s == SimdLevel.Vector256)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref a, (nuint)i) + Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref a, i) += Unsafe.Add(ref x, i);
    }

    /// <summary>dst[i] = src[i] / (h · w[i]) (the average-pool divisor, separable into row and column counts).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DivBy<T>(SimdLevel s, Span<T> dst, ReadOnlySpan<T> src, T h, ReadOnlySpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dst.Length, i = 0;
        ref T d = ref MemoryMarshal.GetReference(dst);
        ref T x = ref MemoryMarshal.GetReference(src);
        ref T c = ref MemoryMarshal.GetReference(w);
        if (s == SimdLevel.Vector512)
        {
            var hv = Vector512.Create(h);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref x, (nuint)i) / (hv * Vector512.LoadUnsafe(ref c, (nuint)i))).StoreUnsafe(ref d, (nuint)i);
        }
        else if (s == SimdLevel.Vector256)
        {
            var hv = Vector256.Create(h);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref x, (nuint)i) / (hv * Vector256.LoadUnsafe(ref c, (nuint)i))).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref x, i) / (h * Unsafe.Add(ref c, i));
    }

    /// <summary>acc[i] += w · src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy<T>(SimdLevel s, Span<T> acc, ReadOnlySpan<T> src, T w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = acc.Length, i = 0;
        ref T a = ref MemoryMarshal.GetReference(acc);
        ref T x = ref MemoryMarshal.GetReference(src);
        if (s == SimdLevel.Vector512)
        {
            var wv = Vector512.Create(w);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref a, (nuint)i) + wv * Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        }
        else if (s == SimdLevel.Vector256)
        {
            var wv = Vector256.Create(w);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref a, (nuint)i) + wv * Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref a, i) += w * Unsafe.Add(ref x, i);
    }

    /// <summary>dst[i] = wa · a[i] + wb · b[i] (one bilinear blend).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Blend<T>(SimdLevel s, Span<T> dst, ReadOnlySpan<T> a, T wa, ReadOnlySpan<T> b, T wb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dst.Length, i = 0;
        ref T d = ref MemoryMarshal.GetReference(dst);
        ref T p = ref MemoryMarshal.GetReference(a);
        ref T q = ref MemoryMarshal.GetReference(b);
        if (s == SimdLevel.Vector512)
        {
            Vector512<T> av = Vector512.Create(wa), bv = Vector512.Create(wb);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (av * Vector512.LoadUnsafe(ref p, (nuint)i) + bv * Vector512.LoadUnsafe(ref q, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        else if (s == SimdLevel.Vector256)
        {
            Vector256<T> av = Vector256.Create(wa), bv = Vector256.Create(wb);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (av * Vector256.LoadUnsafe(ref p, (nuint)i) + bv * Vector256.LoadUnsafe(ref q, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = wa * Unsafe.Add(ref p, i) + wb * Unsafe.Add(ref q, i);
    }
}
