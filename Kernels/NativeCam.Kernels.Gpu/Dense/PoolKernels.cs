using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>A validated <see cref="Pool2dParams"/> as a kernel argument, with the output size.</summary>
internal struct PoolShape
{
    public int H, W, KH, KW, SH, SW, DH, DW, PT, PL, PB, PR, OH, OW, IncludePad;

    /// <summary>The average divisor of output (oh, ow): counted taps per axis (inside the padded extent with
    /// count_include_pad, else inside the input), at least 1 each.</summary>
    public readonly int Divisor(int oh, int ow)
    {
        int hs = oh * SH - PT, ws = ow * SW - PL;
        int dh = IncludePad != 0 ? IndexMath.Divisor(hs, KH, DH, -PT, H + PB) : IndexMath.Divisor(hs, KH, DH, 0, H);
        int dw = IncludePad != 0 ? IndexMath.Divisor(ws, KW, DW, -PL, W + PR) : IndexMath.Divisor(ws, KW, DW, 0, W);
        return dh * dw;
    }
}

/// <summary>
/// 2-D pooling over [planes, H, W], one thread per output element (forward) or per input element (the average
/// adjoint, in gather form: each dx element sums the dy/divisor of the windows covering it, so there is one writer
/// per element and no atomics). Output (oh, ow) reads taps (oh·SH − PT + kh·DH, ow·SW − PL + kw·DW); taps outside
/// the input are skipped (padding never wins a max).
/// </summary>
internal static class PoolKernels
{
    /// <summary>Max over the window; the first maximum in row-major tap order wins, and the first NaN wins over
    /// everything. A window without input taps yields −∞ and index −1. arg is written when writeArg ≠ 0.</summary>
    public static void Max<T, TOps>(Index1D i, ArrayView<T> x, ArrayView<T> y, ArrayView<int> arg, int writeArg, PoolShape s)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int ow = i % s.OW, r = i / s.OW, oh = r % s.OH, plane = r / s.OH;
        int hs = oh * s.SH - s.PT, ws = ow * s.SW - s.PL;
        int kh0 = IndexMath.FirstTap(hs, s.DH, 0), kh1 = IndexMath.EndTap(hs, s.KH, s.DH, s.H);
        int kw0 = IndexMath.FirstTap(ws, s.DW, 0), kw1 = IndexMath.EndTap(ws, s.KW, s.DW, s.W);
        T best = o.NegativeInfinity;
        int at = -1;
        bool nan = false;
        for (int kh = kh0; kh < kh1; kh++)
        {
            int row = (plane * s.H + hs + kh * s.DH) * s.W + ws;
            for (int kw = kw0; kw < kw1 && !nan; kw++)
            {
                int idx = row + kw * s.DW;
                T v = x[idx];
                // take v when it is the first tap, a NaN, or above the best so far
                if (at < 0 || !o.LessOrEqual(v, best)) { best = v; at = idx; nan = o.IsNaN(v); }
            }
        }
        y[i] = best;
        if (writeArg != 0) arg[i] = at;
    }

    /// <summary>Sum of the window's input taps divided by <see cref="PoolShape.Divisor"/>.</summary>
    public static void Average<T, TOps>(Index1D i, ArrayView<T> x, ArrayView<T> y, PoolShape s)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int ow = i % s.OW, r = i / s.OW, oh = r % s.OH, plane = r / s.OH;
        int hs = oh * s.SH - s.PT, ws = ow * s.SW - s.PL;
        int kh0 = IndexMath.FirstTap(hs, s.DH, 0), kh1 = IndexMath.EndTap(hs, s.KH, s.DH, s.H);
        int kw0 = IndexMath.FirstTap(ws, s.DW, 0), kw1 = IndexMath.EndTap(ws, s.KW, s.DW, s.W);
        T sum = o.Zero;
        for (int kh = kh0; kh < kh1; kh++)
        {
            int row = (plane * s.H + hs + kh * s.DH) * s.W + ws;
            for (int kw = kw0; kw < kw1; kw++) sum = o.Add(sum, x[row + kw * s.DW]);
        }
        y[i] = o.Div(sum, o.FromInt(s.Divisor(oh, ow)));
    }

    /// <summary>dx[ih, iw] = Σ over windows (oh, ow) covering it of dy[oh, ow] / divisor(oh, ow); i over dx.</summary>
    public static void AverageBackward<T, TOps>(Index1D i, ArrayView<T> dy, ArrayView<T> dx, PoolShape s)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int iw = i % s.W, r = i / s.W, ih = r % s.H, plane = r / s.H;
        T sum = o.Zero;
        for (int kh = 0; kh < s.KH; kh++)
        {
            int th = ih + s.PT - kh * s.DH, oh = th / s.SH;
            if (th < 0 || oh * s.SH != th || oh >= s.OH) continue;
            for (int kw = 0; kw < s.KW; kw++)
            {
                int tw = iw + s.PL - kw * s.DW, ow = tw / s.SW;
                if (tw < 0 || ow * s.SW != tw || ow >= s.OW) continue;
                sum = o.Add(sum, o.Div(dy[(plane * s.OH + oh) * s.OW + ow], o.FromInt(s.Divisor(oh, ow))));
            }
        }
        dx[i] = sum;
    }
}
