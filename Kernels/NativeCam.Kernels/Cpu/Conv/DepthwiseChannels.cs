using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Depthwise convolution of small planes (7×7 maps, or 5×5 filters up to 14×14 maps) with eight channels in the
/// lanes of a Vector256 of floats (on either vector path). Along a row such a plane gives at most a vector or two
/// of outputs, so the row kernels of <see cref="DepthwisePlane"/> spend most of their time per plane on setup,
/// short rows and edges. Here a group of eight channels is transposed (8×8 register transposes) into a zero-padded,
/// pixel-major buffer ([padded pixel][8]: the blocked NCHWc layout, kept only inside the kernel because the
/// pointwise convolutions around it stay NCHW), every output pixel is then KH·KW full-width FMAs with the taps'
/// weight vectors (a stride or dilation is only a different pixel step), and the result is transposed back with
/// bias, residual and clamp; other activations run over a group's finished planes. Stride 2 also comes here up to
/// 112×112 inputs: the row kernels first split every plane into even and odd columns (a copy that cost as much as the
/// convolution), where here a stride is only a pixel step (`dw3x3-144x56s2` 18.0 → 23.5 GFLOP/s, `dw3x3-96x112s2`
/// 19.9 → 24.2; MobileNetV2's 96 channels at 112 → 56 346 → 235 µs in the network). 3×3 filters with stride 1 on
/// maps over 14×14 (and 5×5 over 28×28) stay with the row kernels, which are faster there than two transposes.
/// </summary>
internal static unsafe class DepthwiseChannels
{
    private const int V = 8;

    /// <summary>Output planes up to this many pixels may take this path (3×3 filters and smaller; measured: at 14×14 the
    /// lanes beat the row kernels by a third, at 28×28 the row kernels win by a sixth).</summary>
    public const int MaxOutPixels = 14 * 14;

    /// <summary>With 5×5 filters and larger (25 FMAs per pixel amortise the transposes): output planes up to this many
    /// pixels (`dw5x5-240x28` 42 → 62 GFLOP/s).</summary>
    public const int MaxOutPixelsBigFilter = 28 * 28;

    /// <summary>Input planes up to this many pixels (the padded buffer stays in L1/L2).</summary>
    public const int MaxInPixels = 28 * 28;

    /// <summary>With stride 2: input planes up to this many pixels (the padded buffer of eight channels, 416 KB at
    /// 114×114, and the output tile stay in L2).</summary>
    public const int MaxStride2InPixels = 112 * 112;

    /// <summary>Padded planes up to this many pixels (the scratch buffer is sized by it).</summary>
    public const int MaxPaddedPixels = 118 * 118;

    /// <summary>Float32 on a vector path of a processor with AVX2 and FMA (with AVX-512 too: eight channels a vector
    /// suit these planes better than sixteen), one output channel per input channel, small planes with short rows or
    /// a big filter or stride 2, and bounded filter and padding (the buffers are sized by them).</summary>
    public static bool Applies<T>(in ConvGeometry g, SimdLevel simd) where T : unmanaged =>
        typeof(T) == typeof(float) && simd != SimdLevel.Scalar && Avx2.IsSupported && Fma.IsSupported && g.KPG == 1
        && (g.OutPixels <= (g.KH * g.KW >= 25 ? MaxOutPixelsBigFilter : MaxOutPixels) && (long)g.H * g.W <= MaxInPixels
            || g.SH == 2 && g.SW == 2 && (long)g.H * g.W <= MaxStride2InPixels)
        && g.KH * g.KW <= MaxTaps && (long)(g.H + g.PT + g.PB) * (g.W + g.PL + g.PR) <= MaxPaddedPixels;

    /// <summary>Filters up to 7×7 (the taps' weight vectors and offsets live on the stack).</summary>
    public const int MaxTaps = 49;

    /// <summary>y[n, c] = act(bias[c] + Σ_{kh,kw} w[c, kh, kw]·x_pad[n, c, oh·SH + kh·DH, ow·SW + kw·DW] + residual[n, c]).</summary>
    public static void Forward(CpuKernels cpu, SimdLevel simd, ConvGeometry g, float* x, float* w, float* bias, float* y, Epilogue<float> act, float* residual)
    {
        int groups = (g.C + V - 1) / V, kk = g.KH * g.KW;
        int hp = g.H + g.PT + g.PB, wp = g.W + g.PL + g.PR;
        nint px = (nint)x, pw = (nint)w, pb = (nint)bias, py = (nint)y, pr = (nint)residual;
        cpu.ParallelRange(g.N * groups, (long)g.N * g.C * g.OutPixels * kk * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            // the padded input and the output tile, 8 lanes per pixel; the padding is cleared once per run of groups
            float* buf = PackBuffers<float>.Scratch((long)(hp * wp + g.OutPixels + Slack) * V);
            float* tile = buf + (long)hp * wp * V;
            new Span<float>(buf, hp * wp * V).Clear();
            float* wv = stackalloc float[kk * V + V];
            for (int u = from; u < to; u++)
            {
                int n = u / groups, c0 = u % groups * V, lanes = Math.Min(V, g.C - c0);
                // weights and bias as one vector per tap (missing lanes zero)
                TapVectors((float*)pw + (long)c0 * kk, kk, lanes, wv);
                for (int l = 0; l < V; l++) wv[kk * V + l] = l < lanes && pb != 0 ? ((float*)pb)[c0 + l] : 0;
                long at = ((long)n * g.C + c0) * g.OutPixels;
                In((float*)px + ((long)n * g.C + c0) * g.H * g.W, lanes, g.H, g.W, buf + ((long)g.PT * wp + g.PL) * V, wp);
                Pixels(g, buf, wp, wv, tile);
                Out(tile, lanes, g.OutPixels, (float*)py + at, pr == 0 ? null : (float*)pr + at, act);
                if (act.IsPost) act.ApplyInPlace(simd, (float*)py + at, lanes * g.OutPixels); // the group's planes are contiguous
            }
        });
    }

    /// <summary>Lane l of padded pixel (ih, iw) ← plane l of <paramref name="src"/> at (ih, iw), for the first
    /// <paramref name="lanes"/> planes (the others' lanes are never stored out); 8 pixels at a time in plane order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void In(float* src, int lanes, int h, int w, float* dst, int wp)
    {
        int hw = h * w, p = 0;
        float* s0 = src, s1 = src + Math.Min(1, lanes - 1) * hw, s2 = src + Math.Min(2, lanes - 1) * hw, s3 = src + Math.Min(3, lanes - 1) * hw;
        float* s4 = src + Math.Min(4, lanes - 1) * hw, s5 = src + Math.Min(5, lanes - 1) * hw, s6 = src + Math.Min(6, lanes - 1) * hw, s7 = src + Math.Min(7, lanes - 1) * hw;
        int ih = 0, iw = 0; // position of pixel p
        for (; p < hw; p += V)
        {
            if (p + V > hw)
            {
                if (hw < V) break;
                // the last eight pixels again (a 14×14 plane's 196 = 24·8 + 4): four are rewritten with the same
                // values instead of moving them lane by lane
                p = hw - V;
                (ih, iw) = (p / w, p % w);
            }
            Vector256<float> r0 = Avx.LoadVector256(s0 + p), r1 = Avx.LoadVector256(s1 + p), r2 = Avx.LoadVector256(s2 + p), r3 = Avx.LoadVector256(s3 + p);
            Vector256<float> r4 = Avx.LoadVector256(s4 + p), r5 = Avx.LoadVector256(s5 + p), r6 = Avx.LoadVector256(s6 + p), r7 = Avx.LoadVector256(s7 + p);
            Transpose8x8.Run(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            Put(r0, dst, wp, w, ref ih, ref iw); Put(r1, dst, wp, w, ref ih, ref iw); Put(r2, dst, wp, w, ref ih, ref iw); Put(r3, dst, wp, w, ref ih, ref iw);
            Put(r4, dst, wp, w, ref ih, ref iw); Put(r5, dst, wp, w, ref ih, ref iw); Put(r6, dst, wp, w, ref ih, ref iw); Put(r7, dst, wp, w, ref ih, ref iw);
        }
        for (; p < hw; p++) // planes of fewer than eight pixels
        {
            float* d = dst + ((long)ih * wp + iw) * V;
            for (int l = 0; l < lanes; l++) d[l] = src[(long)l * hw + p];
            if (++iw == w) { iw = 0; ih++; }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector256<float> v, float* dst, int wp, int w, ref int ih, ref int iw)
    {
        Avx.Store(dst + ((long)ih * wp + iw) * V, v);
        if (++iw == w) { iw = 0; ih++; }
    }

    /// <summary>Plane l of <paramref name="dst"/> ← clamp(lane l of the tile + residual), 8 pixels at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Out(float* tile, int lanes, int pixels, float* dst, float* residual, Epilogue<float> act)
    {
        bool clamp = act.Clamps;
        Vector256<float> lo = Vector256.Create(act.Lo), hi = Vector256.Create(act.Hi);
        // the last eight pixels may go again where that rewrites equal values (not when the output is its own residual)
        bool overlap = pixels >= V && (residual == null || residual + (long)lanes * pixels <= dst || dst + (long)lanes * pixels <= residual);
        int p = 0;
        for (; p < pixels; p += V)
        {
            if (p + V > pixels)
            {
                if (!overlap) break;
                p = pixels - V;
            }
            float* t = tile + (long)p * V;
            Vector256<float> r0 = Avx.LoadVector256(t), r1 = Avx.LoadVector256(t + V), r2 = Avx.LoadVector256(t + 2 * V), r3 = Avx.LoadVector256(t + 3 * V);
            Vector256<float> r4 = Avx.LoadVector256(t + 4 * V), r5 = Avx.LoadVector256(t + 5 * V), r6 = Avx.LoadVector256(t + 6 * V), r7 = Avx.LoadVector256(t + 7 * V);
            Transpose8x8.Run(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            Emit(r0, 0, lanes, pixels, p, dst, residual, clamp, lo, hi); Emit(r1, 1, lanes, pixels, p, dst, residual, clamp, lo, hi);
            Emit(r2, 2, lanes, pixels, p, dst, residual, clamp, lo, hi); Emit(r3, 3, lanes, pixels, p, dst, residual, clamp, lo, hi);
            Emit(r4, 4, lanes, pixels, p, dst, residual, clamp, lo, hi); Emit(r5, 5, lanes, pixels, p, dst, residual, clamp, lo, hi);
            Emit(r6, 6, lanes, pixels, p, dst, residual, clamp, lo, hi); Emit(r7, 7, lanes, pixels, p, dst, residual, clamp, lo, hi);
        }
        for (; p < pixels; p++)
            for (int l = 0; l < lanes; l++)
            {
                float a = tile[(long)p * V + l];
                if (residual != null) a += residual[(long)l * pixels + p];
                dst[(long)l * pixels + p] = clamp ? MathF.Min(MathF.Max(a, act.Lo), act.Hi) : a;
            }
    }

    /// <summary>Pixels p … p + 7 of channel l (if it is one of the group's): + residual, clamp, store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Emit(Vector256<float> v, int l, int lanes, int pixels, int p, float* dst, float* residual, bool clamp,
        Vector256<float> lo, Vector256<float> hi)
    {
        if (l >= lanes) return;
        long at = (long)l * pixels + p;
        if (residual != null) v = Avx.Add(v, Avx.LoadVector256(residual + at));
        if (clamp) v = Vector256.MinNative(Vector256.MaxNative(v, lo), hi);
        Avx.Store(dst + at, v);
    }

    /// <summary>wv[t·8 + l] = w[l·kk + t] (channel l's tap t; lanes past <paramref name="lanes"/> zero): for a full group
    /// eight taps at a time through the 8×8 transpose, the rest one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TapVectors(float* w, int kk, int lanes, float* wv)
    {
        int t0 = 0;
        if (lanes == V)
            for (; t0 + V <= kk; t0 += V)
            {
                float* r = w + t0;
                Vector256<float> r0 = Avx.LoadVector256(r), r1 = Avx.LoadVector256(r + kk), r2 = Avx.LoadVector256(r + 2 * kk), r3 = Avx.LoadVector256(r + 3 * kk);
                Vector256<float> r4 = Avx.LoadVector256(r + 4 * kk), r5 = Avx.LoadVector256(r + 5 * kk), r6 = Avx.LoadVector256(r + 6 * kk), r7 = Avx.LoadVector256(r + 7 * kk);
                Transpose8x8.Run(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
                float* d = wv + t0 * V;
                Avx.Store(d, r0); Avx.Store(d + V, r1); Avx.Store(d + 2 * V, r2); Avx.Store(d + 3 * V, r3);
                Avx.Store(d + 4 * V, r4); Avx.Store(d + 5 * V, r5); Avx.Store(d + 6 * V, r6); Avx.Store(d + 7 * V, r7);
            }
        for (int t = t0; t < kk; t++)
            for (int l = 0; l < V; l++) wv[t * V + l] = l < lanes ? w[(long)l * kk + t] : 0;
    }

    /// <summary>Pixels past the tile's end: a block of eight running past the last row writes up to 7 and reads up to 14
    /// (stride 2) past the padded input, into the tile (<see cref="Pixels"/>).</summary>
    private const int Slack = 16;

    /// <summary>Output pixels in the flat 8-pixel blocks of <see cref="Pixels"/> when rows are shorter than this.</summary>
    private const int MaxFlatPixels = 1024;

    /// <summary>tile[p] = bias + Σ_t w[t]·in[pixel of p and tap t] for every output pixel p, eight pixels per weight
    /// load (eight FMA chains: a single pixel's one chain waits out the FMA latency at every tap). An undilated 3×3
    /// or 5×5 filter at stride 1 or 2 goes a row at a time in blocks of eight that share their input loads
    /// (<see cref="DepthwiseChannelRows"/>; `dw5x5-672x14` 48.6 → 64.1 GFLOP/s, `dw3x3-960x7` 26.5 → 35.0), the last
    /// block running past a row end of five to seven pixels. Otherwise rows of eight or more go a row at a time
    /// (blocks of 8, 4, then single pixels), shorter rows (7×7 maps) in blocks of eight in output order across row
    /// ends, from a table of window corners: six blocks and one pixel instead of seven rows of four and three single
    /// pixels. Each pixel's sum runs in the same order either way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pixels(in ConvGeometry g, float* buf, int wp, float* wv, float* tile)
    {
        int kk = g.KH * g.KW, ow1 = g.OW, total = g.OH * g.OW;
        nint step = (nint)g.SW * V, rowStep = (nint)g.SH * wp * V; // next output column, next output row
        nint* off = stackalloc nint[kk]; // tap t's offset from its output pixel's window corner
        for (int kh = 0, t = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++, t++) off[t] = ((nint)kh * g.DH * wp + (nint)kw * g.DW) * V;
        Vector256<float> b = Avx.LoadVector256(wv + kk * V);
        // undilated 3×3 or 5×5, stride 1 or 2: rows of eight pixels share their input loads
        int row8 = g.DW == 1 && g.DH == 1 && g.KH == g.KW && g.SH == g.SW ? DepthwiseChannelRows.For(g.SW, g.KW) : 0;
        nint rowStride = (nint)wp * V;
        if (row8 == 0 && ow1 < 8 && total <= MaxFlatPixels)
        {
            nint* corner = stackalloc nint[total];
            for (int oh = 0, q = 0; oh < g.OH; oh++)
                for (int ow = 0; ow < ow1; ow++, q++) corner[q] = oh * rowStep + ow * step;
            int p = 0;
            for (; p + 8 <= total; p += 8)
                Block8(buf, corner + p, kk, off, wv, b, tile + (long)p * V);
            for (; p < total; p++) Single(buf + corner[p], kk, off, wv, b, tile + (long)p * V);
            return;
        }
        float* o = tile;
        for (int oh = 0; oh < g.OH; oh++)
        {
            float* c = buf + oh * rowStep;
            int ow = 0;
            if (row8 != 0)
            {
                // a row end of five to seven pixels as a whole block running past the row (a 7×7 map's rows, a 14×14
                // map's second block): its extra pixels read the next padded row (or the tile past the buffer) and
                // land on the next row's first pixels, which that row then writes (rows go in order; the tile has
                // slack); an end of one to four goes to the blocks of four and single pixels below
                int end = ow1 % 8 is > 0 and <= 4 ? ow1 / 8 * 8 : ow1;
                for (; ow < end; ow += 8, c += 8 * step, o += 8 * V) DepthwiseChannelRows.Row8(row8, c, rowStride, wv, b, o);
                if (ow > ow1)
                {
                    o -= (ow - ow1) * V;
                    ow = ow1;
                }
            }
            for (; ow + 8 <= ow1; ow += 8, c += 8 * step, o += 8 * V) Row8(c, step, kk, off, wv, b, o);
            for (; ow + 4 <= ow1; ow += 4, c += 4 * step, o += 4 * V)
            {
                Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b;
                for (int t = 0; t < kk; t++)
                {
                    Vector256<float> wt = Avx.LoadVector256(wv + t * V);
                    float* i = c + off[t];
                    a0 = Fma.MultiplyAdd(Avx.LoadVector256(i), wt, a0);
                    a1 = Fma.MultiplyAdd(Avx.LoadVector256(i + step), wt, a1);
                    a2 = Fma.MultiplyAdd(Avx.LoadVector256(i + 2 * step), wt, a2);
                    a3 = Fma.MultiplyAdd(Avx.LoadVector256(i + 3 * step), wt, a3);
                }
                Avx.Store(o, a0); Avx.Store(o + V, a1); Avx.Store(o + 2 * V, a2); Avx.Store(o + 3 * V, a3);
            }
            for (; ow < ow1; ow++, c += step, o += V) Single(c, kk, off, wv, b, o);
        }
    }

    /// <summary>Eight consecutive pixels of a row (window corners <paramref name="step"/> apart). Its own body rather than
    /// <see cref="Block8"/>'s with eight corners: one base register and scaled offsets, where eight pointers made the row
    /// cases 5–7% slower (`dw3x3-96x112s2` 25.0 → 23.2 GFLOP/s).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row8(float* c, nint step, int kk, nint* off, float* wv, Vector256<float> b, float* o)
    {
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int t = 0; t < kk; t++)
        {
            Vector256<float> wt = Avx.LoadVector256(wv + t * V);
            float* i = c + off[t];
            a0 = Fma.MultiplyAdd(Avx.LoadVector256(i), wt, a0);
            a1 = Fma.MultiplyAdd(Avx.LoadVector256(i + step), wt, a1);
            a2 = Fma.MultiplyAdd(Avx.LoadVector256(i + 2 * step), wt, a2);
            a3 = Fma.MultiplyAdd(Avx.LoadVector256(i + 3 * step), wt, a3);
            a4 = Fma.MultiplyAdd(Avx.LoadVector256(i + 4 * step), wt, a4);
            a5 = Fma.MultiplyAdd(Avx.LoadVector256(i + 5 * step), wt, a5);
            a6 = Fma.MultiplyAdd(Avx.LoadVector256(i + 6 * step), wt, a6);
            a7 = Fma.MultiplyAdd(Avx.LoadVector256(i + 7 * step), wt, a7);
        }
        Avx.Store(o, a0); Avx.Store(o + V, a1); Avx.Store(o + 2 * V, a2); Avx.Store(o + 3 * V, a3);
        Avx.Store(o + 4 * V, a4); Avx.Store(o + 5 * V, a5); Avx.Store(o + 6 * V, a6); Avx.Store(o + 7 * V, a7);
    }

    /// <summary>Eight pixels anywhere in the plane (window corners <paramref name="corner"/>[0..8) from the buffer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8(float* buf, nint* corner, int kk, nint* off, float* wv, Vector256<float> b, float* o)
    {
        float* c0 = buf + corner[0], c1 = buf + corner[1], c2 = buf + corner[2], c3 = buf + corner[3];
        float* c4 = buf + corner[4], c5 = buf + corner[5], c6 = buf + corner[6], c7 = buf + corner[7];
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int t = 0; t < kk; t++)
        {
            Vector256<float> wt = Avx.LoadVector256(wv + t * V);
            nint q = off[t];
            a0 = Fma.MultiplyAdd(Avx.LoadVector256(c0 + q), wt, a0);
            a1 = Fma.MultiplyAdd(Avx.LoadVector256(c1 + q), wt, a1);
            a2 = Fma.MultiplyAdd(Avx.LoadVector256(c2 + q), wt, a2);
            a3 = Fma.MultiplyAdd(Avx.LoadVector256(c3 + q), wt, a3);
            a4 = Fma.MultiplyAdd(Avx.LoadVector256(c4 + q), wt, a4);
            a5 = Fma.MultiplyAdd(Avx.LoadVector256(c5 + q), wt, a5);
            a6 = Fma.MultiplyAdd(Avx.LoadVector256(c6 + q), wt, a6);
            a7 = Fma.MultiplyAdd(Avx.LoadVector256(c7 + q), wt, a7);
        }
        Avx.Store(o, a0); Avx.Store(o + V, a1); Avx.Store(o + 2 * V, a2); Avx.Store(o + 3 * V, a3);
        Avx.Store(o + 4 * V, a4); Avx.Store(o + 5 * V, a5); Avx.Store(o + 6 * V, a6); Avx.Store(o + 7 * V, a7);
    }

    /// <summary>One pixel (window corner <paramref name="c"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Single(float* c, int kk, nint* off, float* wv, Vector256<float> b, float* o)
    {
        Vector256<float> a = b;
        for (int t = 0; t < kk; t++) a = Fma.MultiplyAdd(Avx.LoadVector256(c + off[t]), Avx.LoadVector256(wv + t * V), a);
        Avx.Store(o, a);
    }
}
