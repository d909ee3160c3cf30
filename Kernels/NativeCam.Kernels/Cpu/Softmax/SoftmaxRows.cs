using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Softmax;

/// <summary>
/// Row primitives of the softmax family with Vector512 / Vector256 / scalar paths. "Lane" variants work on
/// [Axis, Inner] slabs: each column (inner index) is an independent softmax, so rows of the slab are combined
/// elementwise with per-column running state.
/// </summary>
internal static class SoftmaxRows
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Exp<T>(Vector512<T> v) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector512.Exp(v.AsSingle()).As<float, T>() : Vector512.Exp(v.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Exp<T>(Vector256<T> v) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector256.Exp(v.AsSingle()).As<float, T>() : Vector256.Exp(v.AsDouble()).As<double, T>();

    /// <summary>The maximum of a row, NaN ignored (a NaN still propagates through the sum); −∞ for an all −∞ row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Max<T>(SimdLevel s, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(x);
        T m = T.NegativeInfinity;
        if (s == SimdLevel.Vector512 && n >= Vector512<T>.Count)
        {
            var mv = Vector512.Create(m);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref p, (nuint)i);
                mv = Vector512.ConditionalSelect(Vector512.GreaterThan(v, mv), v, mv);
            }
            for (int j = 0; j < Vector512<T>.Count; j++) if (mv[j] > m) m = mv[j];
        }
        else if (s == SimdLevel.Vector256 && n >= Vector256<T>.Count)
        {
            var mv = Vector256.Create(m);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref p, (nuint)i);
                mv = Vector256.ConditionalSelect(Vector256.GreaterThan(v, mv), v, mv);
            }
            for (int j = 0; j < Vector256<T>.Count; j++) if (mv[j] > m) m = mv[j];
        }
        for (; i < n; i++) if (Unsafe.Add(ref p, i) > m) m = Unsafe.Add(ref p, i);
        return m;
    }

    /// <summary>Σ exp(x − c); also writes exp(x − c) to y when <paramref name="store"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T ExpSum<T>(SimdLevel s, ReadOnlySpan<T> x, Span<T> y, T c, bool store) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(x);
        ref T q = ref MemoryMarshal.GetReference(y);
        T sum = T.Zero;
        if (s == SimdLevel.Vector512 && n >= Vector512<T>.Count)
        {
            Vector512<T> cv = Vector512.Create(c), acc = Vector512<T>.Zero;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var e = Exp(Vector512.LoadUnsafe(ref p, (nuint)i) - cv);
                if (store) e.StoreUnsafe(ref q, (nuint)i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        else if (s == SimdLevel.Vector256 && n >= Vector256<T>.Count)
        {
            Vector256<T> cv = Vector256.Create(c), acc = Vector256<T>.Zero;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var e = Exp(Vector256.LoadUnsafe(ref p, (nuint)i) - cv);
                if (store) e.StoreUnsafe(ref q, (nuint)i);
                acc += e;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            T e = T.Exp(Unsafe.Add(ref p, i) - c);
            if (store) Unsafe.Add(ref q, i) = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>y = (x − c) − l (log-softmax with shift c and l = log Σ exp(x − c); x − c is exact for x near c),
    /// or −∞ throughout when l = −∞ (an all −∞ row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sub<T>(SimdLevel s, ReadOnlySpan<T> x, Span<T> y, T c, T l) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNegativeInfinity(l)) { y.Fill(l); return; }
        int n = x.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(x);
        ref T q = ref MemoryMarshal.GetReference(y);
        if (s == SimdLevel.Vector512)
        {
            Vector512<T> cv = Vector512.Create(c), lv = Vector512.Create(l);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref p, (nuint)i) - cv - lv).StoreUnsafe(ref q, (nuint)i);
        }
        else if (s == SimdLevel.Vector256)
        {
            Vector256<T> cv = Vector256.Create(c), lv = Vector256.Create(l);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref p, (nuint)i) - cv - lv).StoreUnsafe(ref q, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref q, i) = Unsafe.Add(ref p, i) - c - l;
    }

    /// <summary>y *= c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale<T>(SimdLevel s, Span<T> y, T c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length, i = 0;
        ref T q = ref MemoryMarshal.GetReference(y);
        if (s == SimdLevel.Vector512)
        {
            var cv = Vector512.Create(c);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count) (Vector512.LoadUnsafe(ref q, (nuint)i) * cv).StoreUnsafe(ref q, (nuint)i);
        }
        else if (s == SimdLevel.Vector256)
        {
            var cv = Vector256.Create(c);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count) (Vector256.LoadUnsafe(ref q, (nuint)i) * cv).StoreUnsafe(ref q, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref q, i) *= c;
    }

    /// <summary>Per lane: m = max(m, x), NaN ignored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxLanes<T>(SimdLevel s, Span<T> m, ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = m.Length, i = 0;
        ref T a = ref MemoryMarshal.GetReference(m);
        ref T p = ref MemoryMarshal.GetReference(x);
        if (s == SimdLevel.Vector512)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref p, (nuint)i), mv = Vector512.LoadUnsafe(ref a, (nuint)i);
                Vector512.ConditionalSelect(Vector512.GreaterThan(v, mv), v, mv).StoreUnsafe(ref a, (nuint)i);
            }
        else if (s == SimdLevel.Vector256)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref p, (nuint)i), mv = Vector256.LoadUnsafe(ref a, (nuint)i);
                Vector256.ConditionalSelect(Vector256.GreaterThan(v, mv), v, mv).StoreUnsafe(ref a, (nuint)i);
            }
        for (; i < n; i++) if (Unsafe.Add(ref p, i) > Unsafe.Add(ref a, i)) Unsafe.Add(ref a, i) = Unsafe.Add(ref p, i);
    }

    /// <summary>Per lane: sum += exp(x − c), also writing exp(x − c) to y when <paramref name="store"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ExpSumLanes<T>(SimdLevel s, ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> c, Span<T> sum, bool store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = sum.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(x);
        ref T q = ref MemoryMarshal.GetReference(y);
        ref T cc = ref MemoryMarshal.GetReference(c);
        ref T a = ref MemoryMarshal.GetReference(sum);
        if (s == SimdLevel.Vector512)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var e = Exp(Vector512.LoadUnsafe(ref p, (nuint)i) - Vector512.LoadUnsafe(ref cc, (nuint)i));
                if (store) e.StoreUnsafe(ref q, (nuint)i);
                (Vector512.LoadUnsafe(ref a, (nuint)i) + e).StoreUnsafe(ref a, (nuint)i);
            }
        else if (s == SimdLevel.Vector256)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var e = Exp(Vector256.LoadUnsafe(ref p, (nuint)i) - Vector256.LoadUnsafe(ref cc, (nuint)i));
                if (store) e.StoreUnsafe(ref q, (nuint)i);
                (Vector256.LoadUnsafe(ref a, (nuint)i) + e).StoreUnsafe(ref a, (nuint)i);
            }
        for (; i < n; i++)
        {
            T e = T.Exp(Unsafe.Add(ref p, i) - Unsafe.Add(ref cc, i));
            if (store) Unsafe.Add(ref q, i) = e;
            Unsafe.Add(ref a, i) += e;
        }
    }

    /// <summary>Per lane: y = x·r (r = 1/sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MulLanes<T>(SimdLevel s, Span<T> y, ReadOnlySpan<T> r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length, i = 0;
        ref T q = ref MemoryMarshal.GetReference(y);
        ref T rr = ref MemoryMarshal.GetReference(r);
        if (s == SimdLevel.Vector512)
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref q, (nuint)i) * Vector512.LoadUnsafe(ref rr, (nuint)i)).StoreUnsafe(ref q, (nuint)i);
        else if (s == SimdLevel.Vector256)
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref q, (nuint)i) * Vector256.LoadUnsafe(ref rr, (nuint)i)).StoreUnsafe(ref q, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref q, i) *= Unsafe.Add(ref rr, i);
    }

    /// <summary>Per lane: y = (x − c) − l, or −∞ where l = −∞ (see <see cref="Sub{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SubLanes<T>(SimdLevel s, ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> c, ReadOnlySpan<T> l)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(x);
        ref T q = ref MemoryMarshal.GetReference(y);
        ref T cc = ref MemoryMarshal.GetReference(c);
        ref T ll = ref MemoryMarshal.GetReference(l);
        if (s == SimdLevel.Vector512)
        {
            var ninf = Vector512.Create(T.NegativeInfinity);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var lv = Vector512.LoadUnsafe(ref ll, (nuint)i);
                var v = Vector512.LoadUnsafe(ref p, (nuint)i) - Vector512.LoadUnsafe(ref cc, (nuint)i) - lv;
                Vector512.ConditionalSelect(Vector512.Equals(lv, ninf), ninf, v).StoreUnsafe(ref q, (nuint)i);
            }
        }
        else if (s == SimdLevel.Vector256)
        {
            var ninf = Vector256.Create(T.NegativeInfinity);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var lv = Vector256.LoadUnsafe(ref ll, (nuint)i);
                var v = Vector256.LoadUnsafe(ref p, (nuint)i) - Vector256.LoadUnsafe(ref cc, (nuint)i) - lv;
                Vector256.ConditionalSelect(Vector256.Equals(lv, ninf), ninf, v).StoreUnsafe(ref q, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T lv = Unsafe.Add(ref ll, i);
            Unsafe.Add(ref q, i) = T.IsNegativeInfinity(lv) ? lv : Unsafe.Add(ref p, i) - Unsafe.Add(ref cc, i) - lv;
        }
    }
}
