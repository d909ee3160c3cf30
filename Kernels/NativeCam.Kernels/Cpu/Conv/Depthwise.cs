using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Depthwise convolution (Groups = C, multiplier M = K/C: output channel k = c·M + m reads input channel c only).
/// Each input plane is copied once into a <see cref="PhasePlane"/> (its padding cleared once per thread's run of
/// planes); output rows are then sums of KH·KW contiguous, weighted input runs, vectorised along the output row.
/// </summary>
internal static unsafe class Depthwise
{
    /// <summary>y[n, k] = act(bias[k] + Σ_{kh,kw} w[k, kh, kw]·x_pad[n, c, oh·SH + kh·DH, ow·SW + kw·DW] + residual[n, k]).
    /// Threads take contiguous runs of (image, channel) planes.</summary>
    public static void Forward<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* x, T* w, T* bias, T* y, Epilogue<T> act, T* residual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (cpu.DepthwiseFromRows && DepthwiseStride2Rows.Applies<T>(g, simd))
        {
            DepthwiseStride2Rows.Forward(cpu, g, (float*)x, (float*)w, (float*)bias, (float*)y, Unsafe.As<Epilogue<T>, Epilogue<float>>(ref act), (float*)residual);
            return;
        }

        if (cpu.DepthwiseFromRows && DepthwiseStride1Rows.Applies<T>(g, simd))
        {
            DepthwiseStride1Rows.Forward(cpu, g, (float*)x, (float*)w, (float*)bias, (float*)y, Unsafe.As<Epilogue<T>, Epilogue<float>>(ref act), (float*)residual);
            return;
        }
        if (cpu.DepthwiseChannelLanes && DepthwiseChannels.Applies<T>(g, simd))
        {
            DepthwiseChannels.Forward(cpu, simd, g, (float*)x, (float*)w, (float*)bias, (float*)y, Unsafe.As<Epilogue<T>, Epilogue<float>>(ref act), (float*)residual);
            return;
        }
        nint px = (nint)x, pw = (nint)w, pb = (nint)bias, py = (nint)y, pr = (nint)residual;
        var plane = new PhasePlane(g);
        int mult = g.KPG, kk = g.KH * g.KW;
        bool pair = g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.DH == 1 && g.DW == 1;
        cpu.ParallelRange(g.N * g.C, (long)g.N * g.K * g.OutPixels * kk * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            T* buf = PackBuffers<T>.Scratch(plane.Length);
            plane.Clear(buf); // the padding stays zero for every plane of the run
            long* tapOffset = stackalloc long[kk]; // tap (kh, kw) of output row 0; row oh adds oh·SH padded rows
            for (int kh = 0, t = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++, t++) tapOffset[t] = plane.Offset(kh * g.DH, kw * g.DW);
            var job = new DwPlane<T>
            {
                Buf = buf, TapOffset = tapOffset, InRowStep = (nint)g.SH * plane.RowStride, RowStride = plane.RowStride,
                OH = g.OH, OW = g.OW, YStride = g.OW, Taps = kk, Act = act,
                Tmp = g.OW < DepthwisePlane.MaxLanes ? PackBuffers<T>.Plane((long)DepthwisePlane.MaxLanes * g.OH) : null,
            };
            for (int u = from; u < to; u++)
            {
                int n = u / g.C, c = u % g.C;
                plane.CopyInterior((T*)px + ((long)n * g.C + c) * g.H * g.W, buf);
                for (int m = 0; m < mult; m++)
                {
                    int k = c * mult + m;
                    long at = ((long)n * g.K + k) * g.OutPixels;
                    job.W = (T*)pw + (long)k * kk;
                    job.Y = (T*)py + at;
                    job.Residual = pr == 0 ? null : (T*)pr + at;
                    job.Bias = pb == 0 ? T.Zero : ((T*)pb)[k];
                    DepthwisePlane.Run(simd, job, pair);
                }
            }
        });
    }

    /// <summary>dx[n, c] = Σ_m Σ_{kh,kw} w[k, kh, kw]·dy[n, k] scattered back to the padded input, then cropped
    /// (stride 1 without a channel multiplier: <see cref="BackwardInputAsForward"/>; 3×3 stride 2 in float32 with
    /// AVX-512: <see cref="DepthwiseStride2Backward"/>).</summary>
    public static void BackwardInput<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* dy, T* w, T* dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (BackwardInputAsForward(cpu, simd, g, dy, w, dx)) return;
        if (DepthwiseStride2Backward.Applies<T>(g, simd))
        {
            DepthwiseStride2Backward.BackwardInput(cpu, g, (float*)dy, (float*)w, (float*)dx);
            return;
        }
        nint pdy = (nint)dy, pw = (nint)w, pdx = (nint)dx;
        var plane = new PhasePlane(g);
        int mult = g.KPG, kk = g.KH * g.KW;
        cpu.ParallelFor(g.N * g.C, (long)g.N * g.K * g.OutPixels * kk * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u) =>
        {
            int n = u / g.C, c = u % g.C;
            T* buf = PackBuffers<T>.Scratch(plane.Length);
            new Span<T>(buf, (int)plane.Length).Clear();
            long* tapOffset = stackalloc long[kk];
            for (int kh = 0, t = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++, t++) tapOffset[t] = plane.Offset(kh * g.DH, kw * g.DW);
            for (int m = 0; m < mult; m++)
            {
                int k = c * mult + m;
                T* wk = (T*)pw + (long)k * kk;
                T* dyk = (T*)pdy + ((long)n * g.K + k) * g.OutPixels;
                for (int oh = 0; oh < g.OH; oh++)
                {
                    T* rowBase = buf + (long)oh * g.SH * plane.RowStride;
                    for (int t = 0; t < kk; t++) DepthwiseRows.Axpy(simd, rowBase + tapOffset[t], dyk + (long)oh * g.OW, wk[t], g.OW);
                }
            }
            plane.Extract(buf, (T*)pdx + ((long)n * g.C + c) * g.H * g.W);
        });
    }

    /// <summary>
    /// Stride 1, one output channel per input channel: dx[i, j] = Σ_{kh,kw} w[kh, kw]·dy[i + PT − kh·DH, j + PL − kw·DW]
    /// is the forward depthwise convolution of dy with the filter turned by 180° (w′[kh, kw] = w[KH−1−kh, KW−1−kw]) and
    /// padded by DH(KH−1) − PT above, DH(KH−1) − PB below (likewise for columns), which gives H×W. It runs on the forward
    /// kernels (vectorised along whole rows) instead of short scattered row updates. False where it does not apply
    /// (a stride, a multiplier, or a padding wider than the dilated filter).
    /// </summary>
    private static bool BackwardInputAsForward<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* dy, T* w, T* dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int spanH = g.DH * (g.KH - 1), spanW = g.DW * (g.KW - 1);
        if (g.SH != 1 || g.SW != 1 || g.KPG != 1 || g.PT > spanH || g.PB > spanH || g.PL > spanW || g.PR > spanW) return false;
        var turned = new Conv2dParams(g.N, g.K, g.OH, g.OW, g.C, g.KH, g.KW, DilationH: g.DH, DilationW: g.DW,
            PadTop: spanH - g.PT, PadLeft: spanW - g.PL, PadBottom: spanH - g.PB, PadRight: spanW - g.PR, Groups: g.C);
        if (turned.OH != g.H || turned.OW != g.W) return false;
        int kk = g.KH * g.KW;
        var wt = new T[(long)g.C * kk];
        for (int c = 0; c < g.C; c++)
            for (int t = 0; t < kk; t++) wt[(long)c * kk + t] = w[(long)c * kk + kk - 1 - t];
        fixed (T* pwt = wt) Forward(cpu, simd, new ConvGeometry(turned), dy, pwt, null, dx, Epilogue<T>.Of(turned), null);
        return true;
    }

    /// <summary>dw[k, kh, kw] = Σ_n Σ_{oh,ow} dy[n, k, oh, ow]·x_pad[n, c, oh·SH + kh·DH, ow·SW + kw·DW].</summary>
    public static void BackwardWeight<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* x, T* dy, T* dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint px = (nint)x, pdy = (nint)dy, pdw = (nint)dw;
        var plane = new PhasePlane(g);
        int mult = g.KPG, kk = g.KH * g.KW;
        cpu.ParallelFor(g.C, (long)g.N * g.K * g.OutPixels * kk * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
        {
            T* dwc = (T*)pdw + (long)c * mult * kk;
            new Span<T>(dwc, mult * kk).Clear();
            T* buf = PackBuffers<T>.Scratch(plane.Length);
            plane.Clear(buf);
            for (int n = 0; n < g.N; n++)
            {
                plane.CopyInterior((T*)px + ((long)n * g.C + c) * g.H * g.W, buf);
                for (int m = 0; m < mult; m++)
                {
                    T* dyk = (T*)pdy + ((long)n * g.K + c * mult + m) * g.OutPixels;
                    for (int kh = 0, t = 0; kh < g.KH; kh++)
                        for (int kw = 0; kw < g.KW; kw++, t++)
                            dwc[m * kk + t] += DepthwiseRows.DotRows(simd, buf + plane.Offset(kh * g.DH, kw * g.DW),
                                (nint)g.SH * plane.RowStride, dyk, g.OW, g.OW, g.OH);
                }
            }
        });
    }
}
