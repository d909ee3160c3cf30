using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>Arguments of the depthwise kernels (one input channel per group, multiplier KPG).</summary>
internal struct DepthwiseArgs<T> where T : unmanaged
{
    public ArrayView<T> X, Wt, Bias, Y, Residual;
    public ConvShape S;
    /// <summary>Flags, and the <see cref="ConvEpilogue"/> code of the activation.</summary>
    public int HasBias, HasResidual, Activate;
    public T Lo, Hi, Alpha;
}

/// <summary>
/// Direct depthwise convolution: channel k = c·KPG + m sees only input channel c, so a GEMM would have one row and
/// waste its tiles. One thread per output element sums the KH×KW window (taps clipped to the input once per row,
/// no branch per tap); consecutive threads take consecutive ow, so the reads of x are coalesced for stride 1.
/// </summary>
internal static class DepthwiseKernels
{
    /// <summary>y[n, k, oh, ow] = act(Σ x[n, k / KPG, ih, iw]·w[k, 0, kh, kw] + bias[k] + residual[n, k, oh, ow]); i over y.</summary>
    public static void Forward<T, TOps>(Index1D i, DepthwiseArgs<T> a) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        var s = a.S;
        int ow = i % s.OW, r = i / s.OW, oh = r % s.OH, plane = r / s.OH, k = plane % s.K, n = plane / s.K;
        int hs = oh * s.SH - s.PT, ws = ow * s.SW - s.PL;
        int kh0 = IndexMath.FirstTap(hs, s.DH, 0), kh1 = IndexMath.EndTap(hs, s.KH, s.DH, s.H);
        int kw0 = IndexMath.FirstTap(ws, s.DW, 0), kw1 = IndexMath.EndTap(ws, s.KW, s.DW, s.W);
        int xPlane = (n * s.C + k / s.KPG) * s.H * s.W, wBase = k * s.KH * s.KW;
        T acc = o.Zero;
        for (int kh = kh0; kh < kh1; kh++)
        {
            int xRow = xPlane + (hs + kh * s.DH) * s.W + ws, wRow = wBase + kh * s.KW;
            for (int kw = kw0; kw < kw1; kw++) acc = o.MulAdd(a.X[xRow + kw * s.DW], a.Wt[wRow + kw], acc);
        }
        if (a.HasBias != 0) acc = o.Add(acc, a.Bias[k]);
        if (a.HasResidual != 0) acc = o.Add(acc, a.Residual[i]);
        a.Y[i] = ConvEpilogue.Apply<T, TOps>(acc, a.Activate, a.Lo, a.Hi, a.Alpha);
    }

    /// <summary>dx[n, c, ih, iw] = Σ_(m, kh, kw) dy[n, c·KPG + m, oh, ow]·w[c·KPG + m, 0, kh, kw] over the taps whose
    /// output (oh, ow) lands on (ih, iw); gather form, one writer per element. Here a.X is dy and a.Y is dx.</summary>
    public static void BackwardInput<T, TOps>(Index1D i, DepthwiseArgs<T> a) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        var s = a.S;
        int iw = i % s.W, r = i / s.W, ih = r % s.H, plane = r / s.H, c = plane % s.C, n = plane / s.C;
        T acc = o.Zero;
        for (int kh = 0; kh < s.KH; kh++)
        {
            int th = ih + s.PT - kh * s.DH, oh = th / s.SH;
            if (th < 0 || oh * s.SH != th || oh >= s.OH) continue;
            for (int kw = 0; kw < s.KW; kw++)
            {
                int tw = iw + s.PL - kw * s.DW, ow = tw / s.SW;
                if (tw < 0 || ow * s.SW != tw || ow >= s.OW) continue;
                for (int m = 0; m < s.KPG; m++)
                {
                    int k = c * s.KPG + m;
                    acc = o.MulAdd(a.X[((n * s.K + k) * s.OH + oh) * s.OW + ow], a.Wt[(k * s.KH + kh) * s.KW + kw], acc);
                }
            }
        }
        a.Y[i] = acc;
    }

    /// <summary>Most threads per group of <see cref="BackwardWeight{T, TOps}"/> (launch with a power of 2 up to it).</summary>
    public const int ReduceThreads = 256;

    /// <summary>
    /// dw[k, 0, kh, kw] = Σ_(n, oh, ow) dy[n, k, oh, ow]·x[n, k / KPG, ih, iw]: one group per weight (grid K·KH·KW),
    /// its threads stride over the (n, oh, ow) positions, then a shared-memory tree sums the partials in a fixed
    /// order (deterministic). Here a.X is x, a.Bias is dy and a.Y is dw.
    /// </summary>
    public static void BackwardWeight<T, TOps>(DepthwiseArgs<T> a) where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        var s = a.S;
        var partial = SharedMemory.Allocate<T>(ReduceThreads);
        int tid = Group.IdxX, threads = Group.DimX, weight = Grid.IdxX, taps = s.KH * s.KW;
        int k = weight / taps, t = weight - k * taps, kh = t / s.KW, kw = t - kh * s.KW, c = k / s.KPG;
        int opix = s.OH * s.OW, total = s.N * opix;
        T acc = o.Zero;
        for (int q = tid; q < total; q += threads)
        {
            int n = q / opix, pix = q - n * opix, oh = pix / s.OW, ow = pix - oh * s.OW;
            int ih = oh * s.SH - s.PT + kh * s.DH, iw = ow * s.SW - s.PL + kw * s.DW;
            if ((uint)ih < (uint)s.H && (uint)iw < (uint)s.W)
                acc = o.MulAdd(a.Bias[(n * s.K + k) * opix + pix], a.X[((n * s.C + c) * s.H + ih) * s.W + iw], acc);
        }
        partial[tid] = acc;
        Group.Barrier();
        for (int half = threads / 2; half > 0; half >>= 1)
        {
            if (tid < half) partial[tid] = o.Add(partial[tid], partial[tid + half]);
            Group.Barrier();
        }
        if (tid == 0) a.Y[weight] = partial[0];
    }
}
