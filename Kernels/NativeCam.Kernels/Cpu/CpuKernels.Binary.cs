using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y)
    {
        if (y.Length != p.OutLength) throw new ArgumentException($"binary {kind}: output has {y.Length} elements, shape {Shapes.Format(p.OutShape)} needs {p.OutLength}");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown binary kind");
        var plan = StridePlan.Create(p.OutShape, StridePlan.Long(p.StridesA), StridePlan.Long(p.StridesB), Shapes.Strides(p.OutShape));
        CheckReach(plan, 0, a.Length, "a"); CheckReach(plan, 1, b.Length, "b");
        switch (FloatType(a, b, y))
        {
            case DType.Float32: BinaryT(kind, plan, Arr<float>(a), Arr<float>(b), Arr<float>(y)); break;
            default: BinaryT(kind, plan, Arr<double>(a), Arr<double>(b), Arr<double>(y)); break;
        }
    }

    /// <inheritdoc/>
    public void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y)
    {
        if (p.StridesC is null) throw new ArgumentException("where needs three stride sets");
        if (y.Length != p.OutLength) throw new ArgumentException($"where: output has {y.Length} elements, shape {Shapes.Format(p.OutShape)} needs {p.OutLength}");
        var plan = StridePlan.Create(p.OutShape, StridePlan.Long(p.StridesA), StridePlan.Long(p.StridesB), StridePlan.Long(p.StridesC), Shapes.Strides(p.OutShape));
        CheckReach(plan, 0, cond.Length, "cond"); CheckReach(plan, 1, a.Length, "a"); CheckReach(plan, 2, b.Length, "b");
        switch (FloatType(cond, a, b, y))
        {
            case DType.Float32: WhereT(plan, Arr<float>(cond), Arr<float>(a), Arr<float>(b), Arr<float>(y)); break;
            default: WhereT(plan, Arr<double>(cond), Arr<double>(a), Arr<double>(b), Arr<double>(y)); break;
        }
    }

    private static void CheckReach(StridePlan plan, int operand, long length, string name)
    {
        if (plan.Length == 0) return;
        var (lo, hi) = plan.Reach(operand, 0);
        if (lo < 0 || hi >= length)
            throw new ArgumentException($"operand {name} ({length} elements) is indexed over [{lo}, {hi}] by its strides");
    }

    internal static T BinaryScalarOne<T>(BinaryKind kind, T a, T b) where T : IFloatingPointIeee754<T> => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Pow => T.Pow(a, b),
        BinaryKind.Max => T.Max(a, b),
        BinaryKind.Min => T.Min(a, b),
        BinaryKind.Greater => a > b ? T.One : T.Zero,
        BinaryKind.Less => a < b ? T.One : T.Zero,
        BinaryKind.Equal => a == b ? T.One : T.Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown binary kind"),
    };

    private void BinaryT<T>(BinaryKind kind, StridePlan plan, T[] a, T[] b, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Pow has no vector form; the scalar level runs the same traversal without vectors
        if (kind == BinaryKind.Pow || Simd == SimdLevel.Scalar)
        {
            Chunked(plan.Length, (s, n) => BinaryRangeScalar(kind, plan, a, b, y, s, n));
            return;
        }
        switch (kind)
        {
            case BinaryKind.Add: BinaryVec<T, AddLanes>(plan, a, b, y); break;
            case BinaryKind.Sub: BinaryVec<T, SubLanes>(plan, a, b, y); break;
            case BinaryKind.Mul: BinaryVec<T, MulLanes>(plan, a, b, y); break;
            case BinaryKind.Div: BinaryVec<T, DivLanes>(plan, a, b, y); break;
            case BinaryKind.Max: BinaryVec<T, MaxLanes>(plan, a, b, y); break;
            case BinaryKind.Min: BinaryVec<T, MinLanes>(plan, a, b, y); break;
            case BinaryKind.Greater: BinaryVec<T, GreaterLanes>(plan, a, b, y); break;
            case BinaryKind.Less: BinaryVec<T, LessLanes>(plan, a, b, y); break;
            default: BinaryVec<T, EqualLanes>(plan, a, b, y); break;
        }
    }

    private void BinaryVec<T, TK>(StridePlan plan, T[] a, T[] b, T[] y) where T : unmanaged, IFloatingPointIeee754<T> where TK : IBinaryLanes
    {
        if (typeof(T) == typeof(float))
        {
            var (af, bf, yf) = ((float[])(object)a, (float[])(object)b, (float[])(object)y);
            if (Use512) Chunked(plan.Length, (s, n) => BinaryRangeOf<V512F, Vector512<float>, float, TK>(plan, af, bf, yf, s, n));
            else Chunked(plan.Length, (s, n) => BinaryRangeOf<V256F, Vector256<float>, float, TK>(plan, af, bf, yf, s, n));
        }
        else
        {
            var (ad, bd, yd) = ((double[])(object)a, (double[])(object)b, (double[])(object)y);
            if (Use512) Chunked(plan.Length, (s, n) => BinaryRangeOf<V512D, Vector512<double>, double, TK>(plan, ad, bd, yd, s, n));
            else Chunked(plan.Length, (s, n) => BinaryRangeOf<V256D, Vector256<double>, double, TK>(plan, ad, bd, yd, s, n));
        }
    }

    /// <summary>Output positions [start, start+count) of one binary function: inner runs of the collapsed plan, each by
    /// SIMD when both operands are contiguous (stride 1) or constant (stride 0) along it (one loop per stride pair),
    /// else element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BinaryRangeOf<TOps, TV, T, TK>(StridePlan p, T[] a, T[] b, T[] y, long start, long count)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> where TK : IBinaryLanes
    {
        Span<int> idx = stackalloc int[p.Rank];
        Span<long> off = stackalloc long[3];
        p.Seek(start, idx, off);
        long sa = p.Strides[0][^1], sb = p.Strides[1][^1];
        int inner = p.Inner, w = TOps.Count;
        bool vec = sa is 0 or 1 && sb is 0 or 1;
        for (long done = 0; done < count;)
        {
            int len = (int)Math.Min(inner - idx[^1], count - done);
            int ia = (int)off[0], ib = (int)off[1], iy = (int)off[2], i = 0;
            if (vec)
            {
                ref T ar = ref a[ia]; ref T br = ref b[ib]; ref T yr = ref y[iy];
                if (sa == 1 && sb == 1)
                    for (; i <= len - w; i += w)
                        TOps.Store(TK.Apply<TOps, TV, T>(TOps.Load(ref ar, (nuint)i), TOps.Load(ref br, (nuint)i)), ref yr, (nuint)i);
                else if (sa == 1)
                {
                    TV cb = TOps.Splat(br);
                    for (; i <= len - w; i += w) TOps.Store(TK.Apply<TOps, TV, T>(TOps.Load(ref ar, (nuint)i), cb), ref yr, (nuint)i);
                }
                else if (sb == 1)
                {
                    TV ca = TOps.Splat(ar);
                    for (; i <= len - w; i += w) TOps.Store(TK.Apply<TOps, TV, T>(ca, TOps.Load(ref br, (nuint)i)), ref yr, (nuint)i);
                }
            }
            for (; i < len; i++) y[iy + i] = TK.Apply(a[ia + i * sa], b[ib + i * sb]);
            done += len; idx[^1] += len;
            off[0] += sa * len; off[1] += sb * len; off[2] += len;
            if (idx[^1] == inner && done < count) p.NextRow(idx, off);
        }
    }

    /// <summary>Output positions [start, start+count) element by element (Pow, and the scalar level).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BinaryRangeScalar<T>(BinaryKind kind, StridePlan p, T[] a, T[] b, T[] y, long start, long count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> idx = stackalloc int[p.Rank];
        Span<long> off = stackalloc long[3];
        p.Seek(start, idx, off);
        long sa = p.Strides[0][^1], sb = p.Strides[1][^1];
        int inner = p.Inner;
        for (long done = 0; done < count;)
        {
            int len = (int)Math.Min(inner - idx[^1], count - done);
            int ia = (int)off[0], ib = (int)off[1], iy = (int)off[2];
            for (int i = 0; i < len; i++) y[iy + i] = BinaryScalarOne(kind, a[ia + i * sa], b[ib + i * sb]);
            done += len; idx[^1] += len;
            off[0] += sa * len; off[1] += sb * len; off[2] += len;
            if (idx[^1] == inner && done < count) p.NextRow(idx, off);
        }
    }

    private void WhereT<T>(StridePlan plan, T[] c, T[] a, T[] b, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool vec = Simd != SimdLevel.Scalar;
        if (typeof(T) == typeof(float))
        {
            var (cf, af, bf, yf) = ((float[])(object)c, (float[])(object)a, (float[])(object)b, (float[])(object)y);
            if (Use512) Chunked(plan.Length, (s, n) => WhereRange<V512F, Vector512<float>, float>(plan, cf, af, bf, yf, s, n, vec));
            else Chunked(plan.Length, (s, n) => WhereRange<V256F, Vector256<float>, float>(plan, cf, af, bf, yf, s, n, vec));
        }
        else
        {
            var (cd, ad, bd, yd) = ((double[])(object)c, (double[])(object)a, (double[])(object)b, (double[])(object)y);
            if (Use512) Chunked(plan.Length, (s, n) => WhereRange<V512D, Vector512<double>, double>(plan, cd, ad, bd, yd, s, n, vec));
            else Chunked(plan.Length, (s, n) => WhereRange<V256D, Vector256<double>, double>(plan, cd, ad, bd, yd, s, n, vec));
        }
    }

    /// <summary>Where over output positions [start, start+count), like <see cref="BinaryRangeOf"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WhereRange<TOps, TV, T>(StridePlan p, T[] c, T[] a, T[] b, T[] y, long start, long count, bool vec)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<int> idx = stackalloc int[p.Rank];
        Span<long> off = stackalloc long[4];
        p.Seek(start, idx, off);
        long sc = p.Strides[0][^1], sa = p.Strides[1][^1], sb = p.Strides[2][^1];
        int inner = p.Inner;
        vec &= sc is 0 or 1 && sa is 0 or 1 && sb is 0 or 1;
        TV zero = TOps.Splat(T.Zero);
        for (long done = 0; done < count;)
        {
            int len = (int)Math.Min(inner - idx[^1], count - done);
            int ic = (int)off[0], ia = (int)off[1], ib = (int)off[2], iy = (int)off[3], i = 0;
            if (vec)
            {
                ref T cr = ref c[ic]; ref T ar = ref a[ia]; ref T br = ref b[ib]; ref T yr = ref y[iy];
                TV kc = TOps.Splat(cr), ka = TOps.Splat(ar), kb = TOps.Splat(br);
                for (int w = TOps.Count; i <= len - w; i += w)
                {
                    TV vc = sc == 1 ? TOps.Load(ref cr, (nuint)i) : kc;
                    TV va = sa == 1 ? TOps.Load(ref ar, (nuint)i) : ka;
                    TV vb = sb == 1 ? TOps.Load(ref br, (nuint)i) : kb;
                    TOps.Store(TOps.Select(TOps.Eq(vc, zero), vb, va), ref yr, (nuint)i);
                }
            }
            for (; i < len; i++) y[iy + i] = c[ic + i * sc] != T.Zero ? a[ia + i * sa] : b[ib + i * sb];
            done += len; idx[^1] += len;
            off[0] += sc * len; off[1] += sa * len; off[2] += sb * len; off[3] += len;
            if (idx[^1] == inner && done < count) p.NextRow(idx, off);
        }
    }
}
