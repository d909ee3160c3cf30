using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Pooling;

namespace NativeCam.Kernels.Cpu;

// Pooling over [N, C, H, W]. Output column ow of row oh reads taps (ih, iw) = (oh·sh − pt + kh·dh, ow·sw − pl + kw·dw).
// Each output row's "interior" columns (every tap inside the input) are computed a vector of columns at a time with
// the running max/sum in registers across the window's taps: for one tap (kh, kw) the sources of consecutive ow are
// contiguous when sw = 1; for sw > 1 the input rows are first
// split into sw phases (phase r holds columns r, r + sw, …), which makes them contiguous again. Border columns run
// scalar. Work items are (plane, block of output rows).
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    /// <remarks>NaN propagates (the first NaN of a window wins). A window without any input element (possible only
    /// with dilation or extreme padding) yields −∞ and index −1.</remarks>
    public void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex)
    {
        PoolCheck(p, x, y, "max-pool");
        int[]? arg = null;
        if (argIndex is not null)
        {
            if (argIndex.Length != y.Length) throw new ArgumentException($"max-pool: argIndex has {argIndex.Length} elements, y {y.Length}");
            if ((long)p.N * p.C * p.H * p.W > int.MaxValue) throw new ArgumentException("max-pool: input too large for Int32 indices");
            arg = KernelArrays.Of<int>(this, argIndex);
        }
        if (FloatType(x, y) == DType.Float32) PoolForward(p, KernelArrays.Of<float>(this, x), KernelArrays.Of<float>(this, y), arg, true);
        else PoolForward(p, KernelArrays.Of<double>(this, x), KernelArrays.Of<double>(this, y), arg, true);
    }

    /// <inheritdoc/>
    /// <remarks>A window with no counted element (divisor 0) yields 0.</remarks>
    public void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y)
    {
        PoolCheck(p, x, y, "avg-pool");
        if (FloatType(x, y) == DType.Float32) PoolForward(p, KernelArrays.Of<float>(this, x), KernelArrays.Of<float>(this, y), null, false);
        else PoolForward(p, KernelArrays.Of<double>(this, x), KernelArrays.Of<double>(this, y), null, false);
    }

    /// <inheritdoc/>
    public void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx)
    {
        PoolCheck(p, dx, dy, "avg-pool backward");
        if (FloatType(dy, dx) == DType.Float32) AvgPoolBackward(p, KernelArrays.Of<float>(this, dy), KernelArrays.Of<float>(this, dx));
        else AvgPoolBackward(p, KernelArrays.Of<double>(this, dy), KernelArrays.Of<double>(this, dx));
    }

    private static void PoolCheck(in Pool2dParams p, IBuffer x, IBuffer y, string what) => KernelChecks.Pool2d(p, x, y, what);

    private void PoolForward<T>(Pool2dParams p, T[] x, T[] y, int[]? arg, bool max) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (MaxPool3x3s2.Applies(p, max, arg is not null, Simd))
        {
            MaxPool3x3s2.Run(this, Simd, p, p.OH, p.OW, x, y); // needs none of the general kernel's geometry tables
            return;
        }
        var g = new PoolGeometry<T>(p);
        int planes = p.N * p.C, chunks = PoolMath.RowChunks(planes, g.OH, Threads);
        long work = (long)planes * g.OH * g.OW * p.KH * p.KW;
        var s = Simd;
        ParallelFor(planes * chunks, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (it) =>
        {
            int plane = it / chunks, c = it % chunks;
            PoolRows(s, p, g, x, y, arg, max, plane, c * g.OH / chunks, (c + 1) * g.OH / chunks);
        });
    }

    /// <summary>Output rows [oh0, oh1) of one plane, max or average.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PoolRows<T>(SimdLevel s, in Pool2dParams p, PoolGeometry<T> g, T[] x, T[] y, int[]? arg, bool max,
        int plane, int oh0, int oh1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (oh0 >= oh1) return;
        int H = p.H, W = p.W, KH = p.KH, KW = p.KW, sh = p.StrideH, sw = p.StrideW, dh = p.DilationH, dw = p.DilationW;
        int pt = p.PadTop, pl = p.PadLeft, OW = g.OW, owA = g.OwA, owB = g.OwB, n = owB - owA;
        int xBase = plane * H * W, yBase = plane * g.OH * OW;
        T[] code = KernelArrays.Rent<T>(OW), codes = KernelArrays.Rent<T>(KH * KW);
        int[] bases = KernelArrays.Rent<int>(KH * KW), tapOffset = KernelArrays.Rent<int>(KH * KW);
        for (int k = 0; k < KH * KW; k++) tapOffset[k] = k / KW * dh * W + k % KW * dw;
        // column tap kw reads phase (kw·dw − pl) mod sw, shifted by ⌊(kw·dw − pl) / sw⌋ (once per call, not per row)
        int[] tapPhase = KernelArrays.Rent<int>(KW), tapShift = KernelArrays.Rent<int>(KW);
        for (int kw = 0; kw < KW; kw++) { tapPhase[kw] = PoolMath.Mod(kw * dw - pl, sw); tapShift[kw] = PoolMath.FloorDiv(kw * dw - pl, sw); }
        // phase-split copy of the input rows this block reads (only for sw > 1): row ih, phase r, column j ↦ x[ih, j·sw + r]
        int L = (W + sw - 1) / sw;
        int ihLo = Math.Clamp(oh0 * sh - pt, 0, H), ihHi = Math.Clamp((oh1 - 1) * sh - pt + (KH - 1) * dh + 1, ihLo, H);
        T[]? packed = sw > 1 && n > 0 ? KernelArrays.Rent<T>((ihHi - ihLo) * sw * L) : null;
        if (packed is not null)
            for (int ih = ihLo; ih < ihHi; ih++)
                PhaseSplit.Row(s, x.AsSpan(xBase + ih * W, W), sw, L, packed.AsSpan((ih - ihLo) * sw * L, sw * L));
        try
        {
            for (int oh = oh0; oh < oh1; oh++)
            {
                int hs = oh * sh - pt, yRow = yBase + oh * OW;
                var (kh0, kh1) = PoolMath.ValidTaps(hs, KH, dh, H);
                T countH = g.CountH[oh];
                if (n > 0)
                {
                    // the window's taps as offsets into the source (x, or the phase-split rows) for column owA
                    int taps = 0;
                    for (int kh = kh0; kh < kh1; kh++)
                    {
                        int ih = hs + kh * dh;
                        for (int kw = 0; kw < KW; kw++, taps++)
                        {
                            bases[taps] = packed is null ? xBase + ih * W + owA + kw * dw - pl
                                : ((ih - ihLo) * sw + tapPhase[kw]) * L + owA + tapShift[kw];
                            codes[taps] = T.CreateTruncating(kh * KW + kw);
                        }
                    }
                    var yr = y.AsSpan(yRow + owA, n);
                    var cd = code.AsSpan(0, n);
                    if (taps == 0)
                    {
                        yr.Fill(max ? T.NegativeInfinity : T.Zero);
                        cd.Fill(-T.One);
                    }
                    else if (max) RowOps.WindowMax(s, packed ?? x, bases.AsSpan(0, taps), codes.AsSpan(0, taps), yr, cd, arg is not null);
                    else RowOps.WindowAvg(s, packed ?? x, bases.AsSpan(0, taps), yr, countH, g.CountW.AsSpan(owA, n));
                    if (arg is not null)
                    {
                        // tap code k = kh·KW + kw sits at (kh·dh)·W + kw·dw from the window's corner (a table: no
                        // integer division per element)
                        int corner = xBase + hs * W + owA * sw - pl;
                        for (int i = 0; i < n; i++)
                        {
                            int k = int.CreateTruncating(cd[i]);
                            arg[yRow + owA + i] = k < 0 ? -1 : corner + i * sw + tapOffset[k];
                        }
                    }
                }
                for (int ow = 0; ow < OW; ow++)
                {
                    if (ow == owA) ow = owB;
                    if (ow >= OW) break;
                    int ws = ow * sw - pl;
                    var (kw0, kw1) = PoolMath.ValidTaps(ws, KW, dw, W);
                    T best = max ? T.NegativeInfinity : T.Zero;
                    int bi = -1;
                    for (int kh = kh0; kh < kh1; kh++)
                    {
                        int row = xBase + (hs + kh * dh) * W;
                        for (int kw = kw0; kw < kw1; kw++)
                        {
                            T v = x[row + ws + kw * dw];
                            if (!max) best += v;
                            else if (bi < 0 || (!T.IsNaN(best) && !(v <= best))) { best = v; bi = row + ws + kw * dw; }
                        }
                    }
                    y[yRow + ow] = max ? best : best / (countH * g.CountW[ow]);
                    if (arg is not null) arg[yRow + ow] = bi;
                }
            }
        }
        finally
        {
            KernelArrays.Return(code);
            KernelArrays.Return(codes);
            KernelArrays.Return(bases);
            KernelArrays.Return(tapOffset);
            KernelArrays.Return(tapPhase);
            KernelArrays.Return(tapShift);
            KernelArrays.Return(packed);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AvgPoolBackward<T>(Pool2dParams p, T[] dy, T[] dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new PoolGeometry<T>(p);
        int planes = p.N * p.C, OH = g.OH, OW = g.OW;
        var s = Simd;
        // gs = dy / divisor, then dx[ih] gathers the rows of gs whose windows cover input row ih
        T[] gs = KernelArrays.Rent<T>(planes * OH * OW);
        try
        {
            ParallelFor(planes, (long)planes * OH * OW, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (plane) =>
            {
                for (int oh = 0; oh < OH; oh++)
                {
                    int o = (plane * OH + oh) * OW;
                    RowOps.DivBy(s, gs.AsSpan(o, OW), dy.AsSpan(o, OW), g.CountH[oh], g.CountW);
                }
            });
            int chunks = PoolMath.RowChunks(planes, p.H, Threads);
            long work = (long)planes * OH * OW * p.KH * p.KW;
            ParallelFor(planes * chunks, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (it) =>
            {
                int plane = it / chunks, c = it % chunks;
                AvgPoolBackwardRows(s, p, g, gs, dx, plane, c * p.H / chunks, (c + 1) * p.H / chunks);
            });
        }
        finally { KernelArrays.Return(gs); }
    }

    /// <summary>Input rows [ih0, ih1) of one plane of the average-pool adjoint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AvgPoolBackwardRows<T>(SimdLevel s, in Pool2dParams p, PoolGeometry<T> g, T[] gs, T[] dx,
        int plane, int ih0, int ih1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int W = p.W, KH = p.KH, KW = p.KW, sh = p.StrideH, sw = p.StrideW, dh = p.DilationH, dw = p.DilationW;
        int pt = p.PadTop, pl = p.PadLeft, OH = g.OH, OW = g.OW, owA = g.OwA, owB = g.OwB, n = owB - owA;
        int L = (W + sw - 1) / sw;
        // for sw > 1 accumulate into a phase-split row (phase r, column j ↦ iw = j·sw + r) and interleave at the end
        T[]? packed = sw > 1 ? KernelArrays.Rent<T>(sw * L) : null;
        try
        {
            for (int ih = ih0; ih < ih1; ih++)
            {
                int dxRow = (plane * p.H + ih) * W;
                Span<T> target = packed is null ? dx.AsSpan(dxRow, W) : packed.AsSpan(0, sw * L);
                target.Clear();
                for (int kh = 0; kh < KH; kh++)
                {
                    int t = ih + pt - kh * dh;
                    if (t < 0 || t % sh != 0 || t / sh >= OH) continue;
                    int gRow = (plane * OH + t / sh) * OW;
                    if (n > 0)
                        for (int kw = 0; kw < KW; kw++)
                        {
                            int off = kw * dw - pl;
                            int at = packed is null ? owA + off : PoolMath.Mod(off, sw) * L + owA + PoolMath.FloorDiv(off, sw);
                            RowOps.Add(s, target.Slice(at, n), gs.AsSpan(gRow + owA, n));
                        }
                    for (int ow = 0; ow < OW; ow++)
                    {
                        if (ow == owA) ow = owB;
                        if (ow >= OW) break;
                        int ws = ow * sw - pl;
                        var (kw0, kw1) = PoolMath.ValidTaps(ws, KW, dw, W);
                        T v = gs[gRow + ow];
                        for (int kw = kw0; kw < kw1; kw++)
                        {
                            int iw = ws + kw * dw;
                            target[packed is null ? iw : iw % sw * L + iw / sw] += v;
                        }
                    }
                }
                if (packed is not null)
                    for (int r = 0; r < sw; r++)
                        for (int j = 0, col = r; col < W; j++, col += sw) dx[dxRow + col] = packed[r * L + j];
            }
        }
        finally { KernelArrays.Return(packed); }
    }
}
