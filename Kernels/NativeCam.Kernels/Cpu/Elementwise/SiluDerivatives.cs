using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Elementwise;

/// <summary>silu⁽ᵏ⁾(x) for k = 1…4, scalar and vector (the formulas of <see cref="SiluDerivativeOrder"/>).</summary>
internal static class SiluDerivatives
{
    /// <summary>The scalar definition.</summary>
    public static T Scalar<T>(int order, T x) where T : IFloatingPointIeee754<T>
    {
        T one = T.One, e = T.Exp(-T.Abs(x)), big = one / (one + e), small = e * big;
        T s = x >= T.Zero ? big : small, t = x >= T.Zero ? small : big;
        T u = small * big, d = t - s;
        return order switch
        {
            1 => x * u + s,
            2 => u * (x * d + T.CreateTruncating(2)),
            3 => u * (x * (one - T.CreateTruncating(6) * u) + T.CreateTruncating(3) * d),
            _ => u * (x * d * (one - T.CreateTruncating(12) * u) + T.CreateTruncating(4) * (one - T.CreateTruncating(6) * u)),
        };
    }

    /// <summary>The vector definition, lane by lane the scalar one's formula.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Vector<TOps, TV, T>(int order, TV x)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = Factors<TOps, TV, T>.Of(x);
        return f.Derivative(order, x);
    }

    /// <summary>silu⁽ᵏ⁾ and silu⁽ᵏ⁺¹⁾ of the same lanes from one exponential: each exactly as <see cref="Vector"/>
    /// computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (TV K, TV Next) VectorAndNext<TOps, TV, T>(int order, TV x)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = Factors<TOps, TV, T>.Of(x);
        return (f.Derivative(order, x), f.Derivative(order + 1, x));
    }

    /// <summary>s = σ(x), u = σ′ = s·t and d = t − s of a vector, from e = e^(−|x|).</summary>
    private readonly struct Factors<TOps, TV, T>
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly TV _s, _u, _d;

        private Factors(TV s, TV u, TV d) => (_s, _u, _d) = (s, u, d);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Factors<TOps, TV, T> Of(TV x)
        {
            TV one = TOps.Splat(T.One), e = TOps.Exp(TOps.Neg(TOps.Abs(x)));
            TV big = TOps.Div(one, TOps.Add(one, e)), small = TOps.Mul(e, big);
            TV positive = TOps.Ge(x, TOps.Splat(T.Zero));
            TV s = TOps.Select(positive, big, small), t = TOps.Select(positive, small, big);
            return new Factors<TOps, TV, T>(s, TOps.Mul(small, big), TOps.Sub(t, s));
        }

        /// <summary>silu⁽ᵏ⁾(x), k = 1…4.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Derivative(int order, TV x)
        {
            TV one = TOps.Splat(T.One), u = _u, d = _d;
            TV sixU = TOps.Mul(TOps.Splat(T.CreateTruncating(6)), u);
            return order switch
            {
                1 => TOps.Add(TOps.Mul(x, u), _s),
                2 => TOps.Mul(u, TOps.Add(TOps.Mul(x, d), TOps.Splat(T.CreateTruncating(2)))),
                3 => TOps.Mul(u, TOps.Add(TOps.Mul(x, TOps.Sub(one, sixU)), TOps.Mul(TOps.Splat(T.CreateTruncating(3)), d))),
                _ => TOps.Mul(u, TOps.Add(
                    TOps.Mul(TOps.Mul(x, d), TOps.Sub(one, TOps.Add(sixU, sixU))),
                    TOps.Mul(TOps.Splat(T.CreateTruncating(4)), TOps.Sub(one, sixU)))),
            };
        }
    }
}
