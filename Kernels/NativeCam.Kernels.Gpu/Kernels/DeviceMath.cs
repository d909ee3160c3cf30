using System.Runtime.CompilerServices;
using ILGPU.Algorithms;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>Special functions for device code, with the CPU kernels' definitions (Cpu/ScalarMath, VectorMath).</summary>
internal static class DeviceMath
{
    /// <summary>erf: the CPU kernels' own <see cref="NativeCam.Kernels.Cpu.ScalarMath.Erf"/>, compiled for the device (ILGPU maps its Math calls).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Erf(double x) => NativeCam.Kernels.Cpu.ScalarMath.Erf(x);

    /// <summary>
    /// tanh without overflow: for |x| &lt; 0.625 the 9-level convergent of Lambert's continued fraction
    /// x·N(x²)/D(x²); beyond, sign(x)·(1 − 2/(e^(2|x|) + 1)) (e^(2|x|) = ∞ gives exactly ±1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T, TOps>(T x) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T ax = o.Abs(x), one = o.From(1);
        if (o.Lt(ax, o.From(0.625)))
        {
            T t = o.Mul(x, x);
            T num = Poly<T, TOps>(t, 654729075.0, 91891800.0, 2837835.0, 25740.0, 55.0);
            T den = o.Add(o.Mul(Poly<T, TOps>(t, 310134825.0, 18918900.0, 315315.0, 1485.0, 1.0), t), o.From(654729075.0));
            return o.Div(o.Mul(x, num), den);
        }
        T big = o.Sub(one, o.Div(o.From(2), o.Add(o.Exp(o.Add(ax, ax)), one)));
        return o.Lt(x, o.From(0)) ? o.Neg(big) : big;
    }

    /// <summary>c0 + c1·t + c2·t² + c3·t³ + c4·t⁴ by Horner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Poly<T, TOps>(T t, double c0, double c1, double c2, double c3, double c4)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T p = o.From(c4);
        p = o.Add(o.Mul(p, t), o.From(c3));
        p = o.Add(o.Mul(p, t), o.From(c2));
        p = o.Add(o.Mul(p, t), o.From(c1));
        return o.Add(o.Mul(p, t), o.From(c0));
    }
}
