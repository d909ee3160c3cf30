using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Pooling;

/// <summary>
/// Contiguous row primitives shared by pooling and resize, each with a Vector512, a Vector256 and a scalar path
/// chosen by the caller's <see cref="SimdLevel"/>. Vector tails run scalar; every path applies the
/// same operations per element in the same order.
/// </summary>
internal static class RowOps
{
    /// <summary>
    /// Register-blocked window max: dst[i] = the first maximum (row-major tap order, NaN first) of
    /// src[bases[t] + i] over taps t; when <paramref name="track"/>, code[i] = codes[t] of the winning tap.
    /// A tap replaces the running max a where a is not NaN and the tap is NaN or greater than a; the running max
    /// stays in registers across all taps. A ragged end is one more vector overlapping the previous one (the same
    /// values again) instead of a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WindowMax<T>(SimdLevel s, ReadOnlySpan<T> src, ReadOnlySpan<int> bases, ReadOnlySpan<T> codes,
        Span<T> dst, Span<T> code, bool track) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dst.Length, taps = bases.Length, i = 0;
        ref T x = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        ref T c = ref MemoryMarshal.GetReference(code);
        if (s == SimdLevel.Vector512 && n >= Vector512<T>.Count)
            for (int last = n - Vector512<T>.Count; i < n; i = i < last && i + Vector512<T>.Count > last ? last : i + Vector512<T>.Count)
            {
                var a = Vector512.LoadUnsafe(ref x, (nuint)(bases[0] + i));
                var cv = Vector512.Create(codes[0]);
                for (int t = 1; t < taps; t++)
                {
                    var v = Vector512.LoadUnsafe(ref x, (nuint)(bases[t] + i));
                    var m = Vector512.AndNot(Vector512.Equals(a, a), Vector512.LessThanOrEqual(v, a));
                    a = Vector512.ConditionalSelect(m, v, a);
                    if (track) cv = Vector512.ConditionalSelect(m, Vector512.Create(codes[t]), cv);
                }
                a.StoreUnsafe(ref d, (nuint)i);
                if (track) cv.StoreUnsafe(ref c, (nuint)i);
            }
        else if (s == SimdLevel.Vector256 && n >= Vector256<T>.Count)
            for (int last = n - Vector256<T>.Count; i < n; i = i < last && i + Vector256<T>.Count > last ? last : i + Vector256<T>.Count)
            {
                var a = Vector256.LoadUnsafe(ref x, (nuint)(bases[0] + i));
                var cv = Vector256.Create(codes[0]);
                for (int t = 1; t < taps; t++)
                {
                    var v = Vector256.LoadUnsafe(ref x, (nuint)(bases[t] + i));
                    var m = Vector256.AndNot(Vector256.Equals(a, a), Vector256.LessThanOrEqual(v, a));
                    a = Vector256.ConditionalSelect(m, v, a);
                    if (track) cv = Vector256.ConditionalSelect(m, Vector256.Create(codes[t]), cv);
                }
                a.StoreUnsafe(ref d, (nuint)i);
                if (track) cv.StoreUnsafe(ref c, (nuint)i);
            }
        for (; i < n; i++)
        {
            T a = Unsafe.Add(ref x, bases[0] + i), cv = codes[0];
            for (int t = 1; t < taps; t++)
            {
                T v = Unsafe.Add(ref x, bases[t] + i);
                if (!T.IsNaN(a) && !(v <= a)) { a = v; cv = codes[t]; }
            }
            Unsafe.Add(ref d, i) = a;
            if (track) Unsafe.Add(ref c, i) = cv;
        }
    }

    /// <summary>Register-blocked window average: dst[i] = (Σ_t src[bases[t] + i]) / (h · w[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WindowAvg<T>(SimdLevel s, ReadOnlySpan<T> src, ReadOnlySpan<int> bases, Span<T> dst, T h, ReadOnlySpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = dst.Length, taps = bases.Length, i = 0;
        ref T x = ref MemoryMarshal.GetReference(src);
        ref T d = ref MemoryMarshal.GetReference(dst);
        ref T c = ref MemoryMarshal.GetReference(w);
        if (s == SimdLevel.Vector512)
        {
            var hv = Vector512.Create(h);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var a = Vector512<T>.Zero;
                for (int t = 0; t < taps; t++) a += Vector512.LoadUnsafe(ref x, (nuint)(bases[t] + i));
                (a / (hv * Vector512.LoadUnsafe(ref c, (nuint)i))).StoreUnsafe(ref d, (nuint)i);
            }
        }
        else if (s == SimdLevel.Vector256)
        {
            var hv = Vector256.Create(h);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var a = Vector256<T>.Zero;
                for (int t = 0; t < taps; t++) a += Vector256.LoadUnsafe(ref x, (nuint)(bases[t] + i));
                (a / (hv * Vector256.LoadUnsafe(ref c, (nuint)i))).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T a = T.Zero;
            for (int t = 0; t < taps; t++) a += Unsafe.Add(ref x, bases[t] + i);
            Unsafe.Add(ref d, i) = a / (h * Unsafe.Add(ref c, i));
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
