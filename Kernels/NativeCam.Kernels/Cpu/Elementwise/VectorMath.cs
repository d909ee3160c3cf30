using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Elementwise;

/// <summary>Vectorised transcendental functions built on <see cref="IVec{TV, T}"/>, and the per-kind unary map.</summary>
internal static class VectorMath
{
    // Taylor coefficients cₙ = 2ⁿ / (2n+1)!! of erf(x) = 2/√π · x · e^(−x²) · Σ cₙ x²ⁿ (all terms positive: no
    // cancellation). Correctly rounded values of the exact rationals.
    private static readonly double[] ErfSeries =
    [
        1.0, 0.6666666666666666, 0.26666666666666666, 0.0761904761904762, 0.016931216931216932, 0.0030784030784030783,
        0.0004736004736004736, 6.314672981339648e-05, 7.4290270368701745e-06, 7.820028459863341e-07, 7.447646152250801e-08,
        6.476214045435479e-09, 5.180971236348383e-10, 3.8377564713691727e-11, 2.6467286009442573e-12, 1.7075668393188757e-13,
        1.0348889935265912e-14, 5.913651391580522e-16, 3.196568319773255e-17, 1.6392658050119255e-18, 7.996418561033783e-20,
        3.719264446992458e-21, 1.6530064208855367e-22, 7.034069876108667e-24, 2.8710489290239454e-25, 1.1259015407937041e-26,
        4.248685059598884e-28, 1.5449763853086848e-29, 5.42096977301293e-31, 1.8376168722077727e-32, 6.024973351500894e-34,
        1.9126899528574266e-35, 5.885199854945928e-37, 1.7567760761032622e-38, 5.092104568415253e-40, 1.434395653074719e-41,
        3.929851104314299e-43, 1.047960294483813e-44, 2.7219747908670468e-46, 6.891075419916574e-48, 1.7015001036831047e-49,
        4.100000249838807e-51, 9.647059411385427e-53, 2.2177148072150406e-54, 4.9836287802585185e-56, 1.0953030286282458e-57,
        2.3554903841467652e-59, 4.958927124519506e-61,
    ];

    /// <summary>Terms of <see cref="ErfSeries"/> needed for relative error below 2⁻⁵⁵ when x² ≤ the bound.</summary>
    private static int ErfTerms(double maxT) =>
        maxT <= 0.25 ? 15 : maxT <= 1 ? 20 : maxT <= 2.25 ? 26 : maxT <= 4 ? 33 : maxT <= 6.25 ? 39 : 48;

    /// <summary>
    /// erf in float64 lanes to about 1e-15 absolute: |x| &lt; 3 by the positive series (terms chosen by the largest
    /// lane), 3 ≤ |x| &lt; 6 by 1 − erfc with erfc's continued fraction
    /// erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) (30 levels: erfc to 1e-14 relative at 3),
    /// and 1 beyond (erfc(6) ≈ 2e-17). Odd; NaN propagates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TV ErfF64<TOps, TV>(TV x) where TOps : IVec<TV, double> where TV : struct
    {
        TV ax = TOps.Abs(x), three = TOps.Splat(3), one = TOps.Splat(1);
        TV inSeries = TOps.Lt(ax, three);
        TV result = one;
        if (TOps.AnyTrue(inSeries))
        {
            TV t = TOps.Mul(TOps.Min(ax, three), TOps.Min(ax, three));
            double maxT = 0;
            for (int i = 0; i < TOps.Count; i++) { double v = TOps.Lane(t, i); if (v > maxT) maxT = v; }
            int n = ErfTerms(maxT);
            TV p = TOps.Splat(ErfSeries[n - 1]);
            for (int k = n - 2; k >= 0; k--) p = TOps.Fma(p, t, TOps.Splat(ErfSeries[k]));
            TV s = TOps.Mul(TOps.Mul(TOps.Splat(1.1283791670955126), ax), TOps.Mul(TOps.Exp(TOps.Neg(t)), p));
            result = TOps.Select(inSeries, s, result);
        }
        TV inFraction = TOps.And(TOps.Ge(ax, three), TOps.Lt(ax, TOps.Splat(6)));
        if (TOps.AnyTrue(inFraction))
        {
            TV z = TOps.Max(TOps.Min(ax, TOps.Splat(6)), three);
            TV f = z;
            for (int k = 30; k >= 1; k--) f = TOps.Add(z, TOps.Div(TOps.Splat(k * 0.5), f));
            TV erfc = TOps.Div(TOps.Mul(TOps.Exp(TOps.Neg(TOps.Mul(z, z))), TOps.Splat(0.5641895835477563)), f);
            result = TOps.Select(inFraction, TOps.Sub(one, erfc), result);
        }
        return TOps.Select(TOps.IsNaN(x), x, TOps.CopySign(result, x));
    }

    /// <summary>
    /// tanh without overflow: for |x| &lt; 0.625 the 9-level convergent of Lambert's continued fraction
    /// tanh x = x/(1 + x²/(3 + x²/(5 + …))) as x·N(x²)/D(x²) (error &lt; 1e-17 there); beyond, 1 − 2/(e^(2|x|) + 1)
    /// with the sign restored (e^(2|x|) = ∞ gives exactly 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TOps, TV, T>(TV x) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV ax = TOps.Abs(x), t = TOps.Mul(x, x);
        TV num = Poly<TOps, TV, T>(t, 654729075.0, 91891800.0, 2837835.0, 25740.0, 55.0);
        // D(t) = 654729075 + 310134825 t + 18918900 t² + 315315 t³ + 1485 t⁴ + t⁵
        TV den = TOps.Fma(Poly<TOps, TV, T>(t, 310134825.0, 18918900.0, 315315.0, 1485.0, 1.0), t, TOps.Splat(T.CreateTruncating(654729075.0)));
        TV small = TOps.Div(TOps.Mul(x, num), den);
        TV one = TOps.Splat(T.One);
        TV e = TOps.Exp(TOps.Add(ax, ax));
        TV big = TOps.CopySign(TOps.Sub(one, TOps.Div(TOps.Splat(T.CreateTruncating(2.0)), TOps.Add(e, one))), x);
        return TOps.Select(TOps.Lt(ax, TOps.Splat(T.CreateTruncating(0.625))), small, big);
    }

    /// <summary>c0 + c1·t + c2·t² + c3·t³ + c4·t⁴ by Horner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Poly<TOps, TV, T>(TV t, double c0, double c1, double c2, double c3, double c4)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV p = TOps.Splat(T.CreateTruncating(c4));
        p = TOps.Fma(p, t, TOps.Splat(T.CreateTruncating(c3)));
        p = TOps.Fma(p, t, TOps.Splat(T.CreateTruncating(c2)));
        p = TOps.Fma(p, t, TOps.Splat(T.CreateTruncating(c1)));
        return TOps.Fma(p, t, TOps.Splat(T.CreateTruncating(c0)));
    }

    /// <summary>1/(1 + e^(−x)): e^(−x) = ∞ for very negative x gives 0, never NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TOps, TV, T>(TV x) where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        TV one = TOps.Splat(T.One);
        return TOps.Div(one, TOps.Add(one, TOps.Exp(TOps.Neg(x))));
    }
}
