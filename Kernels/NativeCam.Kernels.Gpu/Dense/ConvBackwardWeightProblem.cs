using System.Runtime.CompilerServices;
using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// Backward-weight as one GEMM per group g over the batch and the output positions:
/// dw[g·KPG + k, (c, kh, kw)] = Σ_(n, oh, ow) dy[n, g·KPG + k, oh, ow] · im2col(x[n, g])[(c, kh, kw), (oh, ow)].
/// A[k, (n, pix)] is dy, B[(n, pix), (c, kh, kw)] the transposed im2col matrix read on the fly; both are contiguous
/// along the reduction index, so both tiles load k-fastest. The reduction may be split into <see cref="Splits"/>
/// slices (product b = split·G + g) whose partial results land in a scratch buffer and are summed in a fixed order
/// afterwards (deterministic, no atomics); with one split the result goes straight to dw.
/// </summary>
internal struct ConvBackwardWeightProblem<T, TOps> : IGemmProblem<T> where T : unmanaged where TOps : struct, IFloatOps<T>
{
    public ArrayView<T> X, Dy, Out;
    public ConvShape S;
    public int Splits, SliceLength;

    public readonly int M => S.KPG;
    public readonly int N => S.CPG * S.KH * S.KW;
    public readonly int K => SliceLength;
    public readonly int Batch => S.G * Splits;
    public readonly bool AAlongK => true;
    public readonly bool BAlongK => true;

    /// <summary>The global reduction index of slice element k, or −1 past the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Reduction(int b, int k)
    {
        int q = b / S.G * SliceLength + k;
        return q < S.N * S.OH * S.OW ? q : -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadA(int b, int m, int k)
    {
        int q = Reduction(b, k);
        if (q < 0) return default(TOps).Zero;
        int opix = S.OH * S.OW, img = q / opix, pix = q - img * opix;
        return Dy[(img * S.K + b % S.G * S.KPG + m) * opix + pix];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadB(int b, int k, int n)
    {
        int q = Reduction(b, k);
        if (q < 0) return default(TOps).Zero;
        int opix = S.OH * S.OW, img = q / opix, pix = q - img * opix, oh = pix / S.OW, ow = pix - oh * S.OW;
        int taps = S.KH * S.KW, c = n / taps, t = n - c * taps, kh = t / S.KW, kw = t - kh * S.KW;
        int ih = oh * S.SH - S.PT + kh * S.DH, iw = ow * S.SW - S.PL + kw * S.DW;
        if ((uint)ih >= (uint)S.H || (uint)iw >= (uint)S.W) return default(TOps).Zero;
        return X[((img * S.C + b % S.G * S.CPG + c) * S.H + ih) * S.W + iw];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int b, int m, int n, T acc)
    {
        // layout [split, K, CPG·KH·KW]: slice 0 of it is dw itself when there is one split
        int cols = S.CPG * S.KH * S.KW;
        Out[((b / S.G * S.K) + b % S.G * S.KPG + m) * cols + n] = acc;
    }
}
