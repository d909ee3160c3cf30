using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Elementwise;

/// <summary>
/// SiLU v / (1 + e^(−v)) in float32 lanes with a cheaper e^x than <see cref="ExpF32"/>: SiLU runs over most
/// activations of EfficientNet-like models, so its cost is a large share of their forward pass.
/// <para>
/// The argument x = −v is clamped to [−87, 88.5] so that 2^n stays a normal number (n ∈ [−126, 128]; n = 128 gives
/// +∞, whose quotient is −0 as for the exact value's underflow), which lets 2^n come from one shift: adding
/// 1.5·2²³ to x·log₂e rounds it to the integer n in the low mantissa bits, so (bits ≪ 23) + 127·2²³ is 2^n.
/// r = x − n·ln2 (ln2 in two parts, <see cref="ExpF32"/>), e^r by its Taylor polynomial to degree 6 (truncation
/// (ln2/2)⁷/7! ≈ 1.2e-7 relative). Where the clamp binds, the result differs from the exact value by less than
/// 1e-36 absolute. NaN propagates through v. The unary op and the fused conv epilogue both use this, so fusing
/// changes no value.
/// </para>
/// </summary>
internal static class SiluF32
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693145751953125f;
    private const float Ln2Lo = 1.42860682030941723e-6f;
    private const float Round = 12582912f; // 1.5·2²³
    private const float Lo = -87f, Hi = 88.5f;
    private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

    /// <summary>SiLU per lane of a 256-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Silu(Vector256<float> v)
    {
        var x = Vector256.MinNative(Vector256.MaxNative(-v, Vector256.Create(Lo)), Vector256.Create(Hi));
        var t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Round));
        var n = t - Vector256.Create(Round);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(C6), r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        var scale = (Vector256.ShiftLeft(t.AsInt32(), 23) + Vector256.Create(127 << 23)).AsSingle();
        return v / Vector256.FusedMultiplyAdd(p, scale, Vector256<float>.One);
    }

    /// <summary>SiLU per lane of a 512-bit vector (the same steps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Silu(Vector512<float> v)
    {
        var x = Vector512.MinNative(Vector512.MaxNative(-v, Vector512.Create(Lo)), Vector512.Create(Hi));
        var t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Round));
        var n = t - Vector512.Create(Round);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var scale = (Vector512.ShiftLeft(t.AsInt32(), 23) + Vector512.Create(127 << 23)).AsSingle();
        return v / Vector512.FusedMultiplyAdd(p, scale, Vector512<float>.One);
    }
}
