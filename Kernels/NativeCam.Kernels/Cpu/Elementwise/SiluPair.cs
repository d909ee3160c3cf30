using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeCam.Kernels.Cpu.Elementwise;

/// <summary>
/// A SiLU derivative and its tangent in one pass (see <see cref="IKernels.SiluDerivativePair"/>): with sₖ = silu⁽ᵏ⁾,
/// order 0 gives y = silu(x), dy = s₁(x)·dx; order k gives y = sₖ(x)·a, dy = sₖ(x)·da + sₖ₊₁(x)·(a·dx). Every value
/// is the one the separate unary and binary passes compute (the same formulas, products and sums in the same order).
/// </summary>
internal static class SiluPair
{
    /// <summary>The arrays and flags of one call (absent tangents are flagged off; their arrays are never read).</summary>
    public readonly record struct Operands<T>(int Order, T[] X, T[] A, T[] Dx, T[] Da, T[] Y, T[] Dy, bool HasDx, bool HasDa);

    /// <summary>Elements [s, s+n) with the scalar formulas (the scalar SIMD level's unary and binary kernels).</summary>
    public static void Scalar<T>(Operands<T> p, int s, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = s; i < s + n; i++)
        {
            T x = p.X[i];
            if (p.Order == 0)
            {
                p.Y[i] = x / (T.One + T.Exp(-x));
                p.Dy[i] = SiluDerivatives.Scalar(1, x) * p.Dx[i];
                continue;
            }
            T sk = SiluDerivatives.Scalar(p.Order, x), a = p.A[i];
            p.Y[i] = sk * a;
            T viaA = p.HasDa ? sk * p.Da[i] : T.Zero;
            T viaX = p.HasDx ? SiluDerivatives.Scalar(p.Order + 1, x) * (a * p.Dx[i]) : T.Zero;
            p.Dy[i] = !p.HasDa ? viaX : !p.HasDx ? viaA : viaA + viaX;
        }
    }

    /// <summary>Elements [s, s+n) in vectors; the ragged tail through zero-padded vectors (as the unary kernels do, so
    /// every element takes the vector path whatever the chunking).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector<TOps, TV, T>(Operands<T> p, int s, int n)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = TOps.Count, i = 0;
        for (; i <= n - w; i += w)
        {
            nuint at = (nuint)(s + i);
            var (y, dy) = One<TOps, TV, T>(p.Order, p.HasDx, p.HasDa, Load<TOps, TV, T>(p.X, at), Load<TOps, TV, T>(p.A, at),
                Load<TOps, TV, T>(p.Dx, at), Load<TOps, TV, T>(p.Da, at));
            TOps.Store(y, ref MemoryMarshal.GetArrayDataReference(p.Y), at);
            TOps.Store(dy, ref MemoryMarshal.GetArrayDataReference(p.Dy), at);
        }
        if (i < n)
        {
            Span<T> tmp = stackalloc T[4 * w];
            tmp.Clear();
            int rest = n - i;
            p.X.AsSpan(s + i, rest).CopyTo(tmp);
            p.A.AsSpan(s + i, rest).CopyTo(tmp[w..]);
            p.Dx.AsSpan(s + i, rest).CopyTo(tmp[(2 * w)..]);
            p.Da.AsSpan(s + i, rest).CopyTo(tmp[(3 * w)..]);
            ref T r = ref MemoryMarshal.GetReference(tmp);
            var (y, dy) = One<TOps, TV, T>(p.Order, p.HasDx, p.HasDa, TOps.Load(ref r, 0), TOps.Load(ref r, (nuint)w),
                TOps.Load(ref r, (nuint)(2 * w)), TOps.Load(ref r, (nuint)(3 * w)));
            TOps.Store(y, ref r, 0);
            TOps.Store(dy, ref r, (nuint)w);
            tmp[..rest].CopyTo(p.Y.AsSpan(s + i));
            tmp.Slice(w, rest).CopyTo(p.Dy.AsSpan(s + i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Load<TOps, TV, T>(T[] a, nuint at)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T> =>
        TOps.Load(ref MemoryMarshal.GetArrayDataReference(a), at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TV Y, TV Dy) One<TOps, TV, T>(int order, bool hasDx, bool hasDa, TV x, TV a, TV dx, TV da)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (order == 0) return (TOps.Silu(x), TOps.Mul(SiluDerivatives.Vector<TOps, TV, T>(1, x), dx));
        var (sk, next) = SiluDerivatives.VectorAndNext<TOps, TV, T>(order, x); // one exponential for both orders
        TV viaA = TOps.Mul(sk, da), viaX = TOps.Mul(next, TOps.Mul(a, dx));
        return (TOps.Mul(sk, a), !hasDa ? viaX : !hasDx ? viaA : TOps.Add(viaA, viaX));
    }
}
