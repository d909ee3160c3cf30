using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Algorithms;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// Bilinear resize (OpenCV INTER_LINEAR) of [Planes, InH, InW] to [Planes, OutH, OutW] and its adjoint. The taps
/// along an axis are those of the CPU's ResizeTable, computed in float64 on the fly: src = max(0, (d + ½)·scale − ½),
/// i0 = min(⌊src⌋, in − 1), i1 = min(i0 + 1, in − 1), weights (1 − f, f) with f = src − i0. src grows with d, so
/// the outputs that read input i form one run, found from an estimate and walked until i0 passes i: the adjoint
/// is a gather (each input element written by one thread, no atomics, no races). With aligned corners (align ≠ 0)
/// src = d·scale, scale = (in − 1)/(out − 1), and the first reader of input i is near (i − 1)/scale.
/// </summary>
internal static class ResizeKernels
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tap(int d, int inSize, double scale, int align, out int i0, out int i1, out double f)
    {
        double src = align != 0 ? d * scale : XMath.Max(0.0, (d + 0.5) * scale - 0.5);
        i0 = XMath.Min((int)XMath.Floor(src), inSize - 1);
        f = src - i0;
        i1 = XMath.Min(i0 + 1, inSize - 1);
    }

    /// <summary>The first output index that may read input i (i0(d) ≥ i − 1 needs d ≥ (i − ½)/scale − ½; two
    /// below the estimate absorbs rounding, and outputs with i0 &lt; i − 1 are skipped by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FirstReader(int i, double scale, int align) =>
        align != 0 ? (scale > 0 ? XMath.Max(0, (int)XMath.Floor((i - 1) / scale) - 2) : 0)
        : XMath.Max(0, (int)XMath.Floor((i - 0.5) / scale - 0.5) - 2);

    /// <summary>y[p, oh, ow] = wy0·(wx0·x[p, r0, c0] + wx1·x[p, r0, c1]) + wy1·(wx0·x[p, r1, c0] + wx1·x[p, r1, c1]).</summary>
    public static void Forward<T, TOps>(ArrayView<T> x, ArrayView<T> y, int n, int inH, int inW, int outH, int outW, double sy, double sx, int align)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        for (int j = GridStride.Start; j < n; j += GridStride.Step) ForwardOne<T, TOps>(j, x, y, inH, inW, outH, outW, sy, sx, align);
    }

    private static void ForwardOne<T, TOps>(int j, ArrayView<T> x, ArrayView<T> y, int inH, int inW, int outH, int outW, double sy, double sx, int align)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int ow = j % outW, t = j / outW, oh = t % outH, plane = t / outH;
        Tap(oh, inH, sy, align, out int r0, out int r1, out double fy);
        Tap(ow, inW, sx, align, out int c0, out int c1, out double fx);
        T wx0 = o.From(1 - fx), wx1 = o.From(fx);
        int b0 = (plane * inH + r0) * inW, b1 = (plane * inH + r1) * inW;
        T h0 = o.Add(o.Mul(wx0, x[b0 + c0]), o.Mul(wx1, x[b0 + c1]));
        T h1 = o.Add(o.Mul(wx0, x[b1 + c0]), o.Mul(wx1, x[b1 + c1]));
        y[j] = o.Add(o.Mul(o.From(1 - fy), h0), o.Mul(o.From(fy), h1));
    }

    /// <summary>dx[p, ih, iw] = Σ_oh Ry[oh, ih] Σ_ow Rx[ow, iw] dy[p, oh, ow] over the runs of readers.</summary>
    public static void Backward<T, TOps>(ArrayView<T> dy, ArrayView<T> dx, int n, int inH, int inW, int outH, int outW, double sy, double sx, int align)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        for (int j = GridStride.Start; j < n; j += GridStride.Step) BackwardOne<T, TOps>(j, dy, dx, inH, inW, outH, outW, sy, sx, align);
    }

    private static void BackwardOne<T, TOps>(int j, ArrayView<T> dy, ArrayView<T> dx, int inH, int inW, int outH, int outW, double sy, double sx, int align)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        int iw = j % inW, t = j / inW, ih = t % inH, plane = t / inH;
        T acc = o.From(0);
        int ow0 = FirstReader(iw, sx, align);
        for (int oh = FirstReader(ih, sy, align); oh < outH; oh++)
        {
            Tap(oh, inH, sy, align, out int r0, out int r1, out double fy);
            if (r0 > ih) break;
            if (r0 != ih && r1 != ih) continue;
            T wy = o.From((r0 == ih ? 1 - fy : 0) + (r1 == ih ? fy : 0));
            int row = (plane * outH + oh) * outW;
            T sum = o.From(0);
            for (int ow = ow0; ow < outW; ow++)
            {
                Tap(ow, inW, sx, align, out int c0, out int c1, out double fx);
                if (c0 > iw) break;
                if (c0 != iw && c1 != iw) continue;
                T wx = o.From((c0 == iw ? 1 - fx : 0) + (c1 == iw ? fx : 0));
                sum = o.Add(sum, o.Mul(wx, dy[row + ow]));
            }
            acc = o.Add(acc, o.Mul(wy, sum));
        }
        dx[j] = acc;
    }
}
