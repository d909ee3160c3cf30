using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>The fused derivative passes (IKernels.Gate, IKernels.SiluDerivativePair, IKernels.ProductWithTangent), as
/// grid-stride loops with the formulas of the CPU kernels.</summary>
internal static class DerivativeKernels
{
    /// <summary>r[i] = lo &lt; g[i] (&lt; hi where bounded) ? t[i] : 0, and likewise r2 from t2 when
    /// <paramref name="second"/> (else those views are never touched).</summary>
    public static void Gate<T, TOps>(ArrayView<T> g, ArrayView<T> t, ArrayView<T> r, ArrayView<T> t2, ArrayView<T> r2, int n,
        T lo, T hi, int bounded, int second)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            T v = g[i];
            bool pass = o.Gt(v, lo) && (bounded == 0 || o.Lt(v, hi));
            r[i] = pass ? t[i] : o.From(0);
            if (second != 0) r2[i] = pass ? t2[i] : o.From(0);
        }
    }

    /// <summary>Order 0: y = silu(x), dy = s₁(x)·dx; order k: y = sₖ(x)·a, dy = sₖ(x)·da + sₖ₊₁(x)·(a·dx) (bit 0 of
    /// <paramref name="has"/>: dx given, bit 1: da given; absent views are never read).</summary>
    public static void SiluPair<T, TOps>(ArrayView<T> x, ArrayView<T> a, ArrayView<T> dx, ArrayView<T> da, ArrayView<T> y,
        ArrayView<T> dy, int n, int order, int has)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T one = o.From(1);
        bool hasDx = (has & 1) != 0, hasDa = (has & 2) != 0;
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            T v = x[i];
            if (order == 0)
            {
                y[i] = o.Div(v, o.Add(one, o.Exp(o.Neg(v))));
                dy[i] = o.Mul(ElementwiseKernels.SiluDerivative<T, TOps>(v, 1), dx[i]);
                continue;
            }
            T sk = ElementwiseKernels.SiluDerivative<T, TOps>(v, order), f = a[i];
            y[i] = o.Mul(sk, f);
            T viaA = hasDa ? o.Mul(sk, da[i]) : o.From(0);
            T viaX = hasDx ? o.Mul(ElementwiseKernels.SiluDerivative<T, TOps>(v, order + 1), o.Mul(f, dx[i])) : o.From(0);
            dy[i] = !hasDa ? viaX : !hasDx ? viaA : o.Add(viaA, viaX);
        }
    }

    /// <summary>y = a·b, dy = da·b + a·db at broadcast offsets (bit 0 of <paramref name="has"/>: da given, bit 1: db
    /// given; an absent tangent's view is never read).</summary>
    public static void ProductWithTangent<T, TOps>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> da, ArrayView<T> db, ArrayView<T> y,
        ArrayView<T> dy, int n, StridedLayout l, int has)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        bool hasA = (has & 1) != 0, hasB = (has & 2) != 0;
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            l.Offsets(i, out int ia, out int ib, out _);
            T av = a[ia], bv = b[ib];
            y[i] = o.Mul(av, bv);
            T viaA = hasA ? o.Mul(da[ia], bv) : o.From(0), viaB = hasB ? o.Mul(av, db[ib]) : o.From(0);
            dy[i] = !hasB ? viaA : !hasA ? viaB : o.Add(viaA, viaB);
        }
    }
}

