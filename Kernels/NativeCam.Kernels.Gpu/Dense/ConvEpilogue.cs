using System.Runtime.CompilerServices;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>The fused activation of a convolution's epilogue on the device, written like the matching unary kernel.</summary>
internal static class ConvEpilogue
{
    public const int None = 0, Clamp = 1, LeakyRelu = 2, HardSwish = 3, Silu = 4;

    /// <summary>The device code of a fused activation.</summary>
    public static int Kind(FusedActivation a) => a switch
    {
        FusedActivation.None => None,
        FusedActivation.Relu or FusedActivation.Clip => Clamp,
        FusedActivation.LeakyRelu => LeakyRelu,
        FusedActivation.HardSwish => HardSwish,
        FusedActivation.Silu => Silu,
        _ => throw new ArgumentOutOfRangeException(nameof(a), a, "unknown fused activation"),
    };

    /// <summary>act(v): clamp to [lo, hi], leaky slope alpha, hard-swish or SiLU.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Apply<T, TOps>(T v, int kind, T lo, T hi, T alpha) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        if (kind == Clamp) return o.Clamp(v, lo, hi);
        if (kind == LeakyRelu) return o.Lt(v, o.Zero) ? o.Mul(alpha, v) : v;
        if (kind == HardSwish)
        {
            T g = o.Add(o.Div(v, o.From(6)), o.From(0.5)), one = o.From(1);
            return o.Mul(v, o.Lt(g, one) ? (o.Gt(g, o.Zero) ? g : o.Zero) : one);
        }
        if (kind == Silu) return o.Div(v, o.Add(o.From(1), o.Exp(o.Neg(v))));
        return v;
    }
}
