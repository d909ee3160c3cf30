using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>Binary functions and Where over broadcast operands: a grid-stride loop over output elements, operand offsets from
/// the collapsed <see cref="StridedLayout"/> (a single multiply on contiguous or scalar operands).</summary>
internal static class BroadcastKernels
{
    public static void Binary<T, TOps>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> y, int n, StridedLayout l, int kind)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            l.Offsets(i, out int ia, out int ib, out _);
            y[i] = BinaryOne<T, TOps>((BinaryKind)kind, a[ia], b[ib]);
        }
    }

    /// <summary>y = cond ≠ 0 ? a : b (a NaN condition counts as true).</summary>
    public static void Where<T, TOps>(ArrayView<T> cond, ArrayView<T> a, ArrayView<T> b, ArrayView<T> y, int n, StridedLayout l)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            l.Offsets(i, out int ic, out int ia, out int ib);
            y[i] = o.Eq(cond[ic], o.From(0)) ? b[ib] : a[ia];
        }
    }

    /// <summary>Every binary function; Max/Min propagate NaN, comparisons give 1 or 0.</summary>
    public static T BinaryOne<T, TOps>(BinaryKind kind, T a, T b) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T one = o.From(1), zero = o.From(0);
        switch (kind)
        {
            case BinaryKind.Add: return o.Add(a, b);
            case BinaryKind.Sub: return o.Sub(a, b);
            case BinaryKind.Mul: return o.Mul(a, b);
            case BinaryKind.Div: return o.Div(a, b);
            case BinaryKind.Pow: return o.Pow(a, b);
            case BinaryKind.Max: return o.IsNaN(a) || o.IsNaN(b) ? o.Add(a, b) : o.Gt(b, a) ? b : a;
            case BinaryKind.Min: return o.IsNaN(a) || o.IsNaN(b) ? o.Add(a, b) : o.Lt(b, a) ? b : a;
            case BinaryKind.Greater: return o.Gt(a, b) ? one : zero;
            case BinaryKind.Less: return o.Lt(a, b) ? one : zero;
            case BinaryKind.Equal: return o.Eq(a, b) ? one : zero;
            default: return o.Add(a, o.From(double.NaN));
        }
    }
}
