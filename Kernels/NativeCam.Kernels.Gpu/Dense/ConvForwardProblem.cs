using System.Runtime.CompilerServices;
using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// Forward convolution as an implicit GEMM, one product per (image n, group g): Y[n, g] = W[g]·im2col(x[n, g]) with
/// W[g] the [KPG, CPG·KH·KW] weights and im2col(x)[(c, kh, kw), (oh, ow)] = x[n, g·CPG + c, oh·SH − PT + kh·DH,
/// ow·SW − PL + kw·DW] (0 in the padding). The im2col matrix is never stored: the tiled kernel's B-tile load reads it
/// straight from x, so no scratch memory (KH·KW times the input) is allocated or written, and the gather costs only
/// integer arithmetic in the load that the FMA loop over shared memory amortises. Epilogue: + bias, + residual, fused activation.
/// </summary>
internal struct ConvForwardProblem<T, TOps> : IGemmProblem<T> where T : unmanaged where TOps : struct, IFloatOps<T>
{
    public ArrayView<T> X, Wt, Bias, Y, Residual;
    public ConvShape S;
    /// <summary>Flags, and the <see cref="ConvEpilogue"/> code of the activation.</summary>
    public int HasBias, HasResidual, Activate;
    public T Lo, Hi, Alpha;

    public readonly int M => S.KPG;
    public readonly int N => S.OH * S.OW;
    public readonly int K => S.CPG * S.KH * S.KW;
    public readonly int Batch => S.N * S.G;
    public readonly bool AAlongK => true;
    public readonly bool BAlongK => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadA(int b, int m, int k) => Wt[((b % S.G) * S.KPG + m) * (S.CPG * S.KH * S.KW) + k];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadB(int b, int k, int n)
    {
        int taps = S.KH * S.KW, c = k / taps, t = k - c * taps, kh = t / S.KW, kw = t - kh * S.KW;
        int oh = n / S.OW, ow = n - oh * S.OW;
        int ih = oh * S.SH - S.PT + kh * S.DH, iw = ow * S.SW - S.PL + kw * S.DW;
        if ((uint)ih >= (uint)S.H || (uint)iw >= (uint)S.W) return default(TOps).Zero;
        int img = b / S.G, g = b - img * S.G;
        return X[((img * S.C + g * S.CPG + c) * S.H + ih) * S.W + iw];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int b, int m, int n, T acc)
    {
        int img = b / S.G, k = (b - img * S.G) * S.KPG + m;
        var o = default(TOps);
        T v = HasBias != 0 ? o.Add(acc, Bias[k]) : acc;
        int at = (img * S.K + k) * (S.OH * S.OW) + n;
        if (HasResidual != 0) v = o.Add(v, Residual[at]);
        Y[at] = ConvEpilogue.Apply<T, TOps>(v, Activate, Lo, Hi, Alpha);
    }
}
