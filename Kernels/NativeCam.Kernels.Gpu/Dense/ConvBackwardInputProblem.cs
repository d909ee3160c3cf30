using System.Runtime.CompilerServices;
using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// Backward-input as the transposed convolution in gather form, one product per (image n, group g):
/// dx[n, g·CPG + c, ih, iw] = Σ_(k, kh, kw) w[g·KPG + k, c, kh, kw] · dy[n, g·KPG + k, oh, ow] over the taps with
/// oh·SH = ih + PT − kh·DH and ow·SW = iw + PL − kw·DW (exact division, inside dy). As a GEMM: A[c, (k, kh, kw)] is
/// the weight read transposed, B[(k, kh, kw), (ih, iw)] is dy gathered on the fly (0 where no output tap lands).
/// Each dx element is owned by one thread and written once: no atomics, no zeroing pass.
/// </summary>
internal struct ConvBackwardInputProblem<T, TOps> : IGemmProblem<T> where T : unmanaged where TOps : struct, IFloatOps<T>
{
    public ArrayView<T> Dy, Wt, Dx;
    public ConvShape S;

    public readonly int M => S.CPG;
    public readonly int N => S.H * S.W;
    public readonly int K => S.KPG * S.KH * S.KW;
    public readonly int Batch => S.N * S.G;
    public readonly bool AAlongK => true;
    public readonly bool BAlongK => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadA(int b, int m, int k)
    {
        int taps = S.KH * S.KW, kk = k / taps, t = k - kk * taps;
        return Wt[(((b % S.G) * S.KPG + kk) * S.CPG + m) * taps + t];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadB(int b, int k, int n)
    {
        int taps = S.KH * S.KW, kk = k / taps, t = k - kk * taps, kh = t / S.KW, kw = t - kh * S.KW;
        int ih = n / S.W, iw = n - ih * S.W;
        int th = ih + S.PT - kh * S.DH, tw = iw + S.PL - kw * S.DW;
        if (th < 0 || tw < 0) return default(TOps).Zero;
        int oh = th / S.SH, ow = tw / S.SW;
        if (oh * S.SH != th || ow * S.SW != tw || oh >= S.OH || ow >= S.OW) return default(TOps).Zero;
        int img = b / S.G, g = b - img * S.G;
        return Dy[((img * S.K + g * S.KPG + kk) * S.OH + oh) * S.OW + ow];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int b, int m, int n, T acc)
    {
        int img = b / S.G, g = b - img * S.G;
        Dx[(img * S.C + g * S.CPG + m) * (S.H * S.W) + n] = acc;
    }
}
