using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// A network's stem, a dense 3×3 stride-2 convolution of a few input channels (an RGB image), with AVX-512 straight
/// from the input rows. For each output row, the 27 (channel, kh, kw) taps of every 16 outputs are laid out once as
/// vectors: the input row's even and odd columns split by two-source permutes, the odd ones moved up a lane for the
/// left tap (as in <see cref="DepthwiseStride2Rows"/>). Each block of eight output channels then takes per tap one
/// load and eight FMAs with broadcast weights into eight accumulators: FMA-bound, where im2col and GEMM with K = 27
/// packed a 27-row panel of the image for every tile and stored each 8×32 tile after only 27 steps.
/// </summary>
internal static unsafe class StemStride2Rows
{
    /// <summary>Most input channels.</summary>
    public const int MaxChannels = 4;

    private const int Block = 8; // output channels per pass: eight accumulators

    /// <summary>Float32 on the Vector512 path of a processor with AVX-512, no groups, at most four input channels, a
    /// multiple of eight output channels, 3×3, stride 2, no dilation, padding 1 at the top and left (bottom and right
    /// 0 or 1), output rows of at least one vector.</summary>
    public static bool Applies<T>(in ConvGeometry g, SimdLevel simd) where T : unmanaged =>
        typeof(T) == typeof(float) && simd == SimdLevel.Vector512 && Avx512F.IsSupported && g.G == 1 && g.C <= MaxChannels
        && g.K % Block == 0 && g.KH == 3 && g.KW == 3 && g.SH == 2 && g.SW == 2 && g.DH == 1 && g.DW == 1
        && g.PT == 1 && g.PL == 1 && g.PB <= 1 && g.PR <= 1 && g.OW >= 16;

    /// <summary>y[n, k] = act(bias[k] + Σ_{c,kh,kw} w[k, c, kh, kw]·x_pad[n, c, 2oh + kh − 1, 2ow + kw − 1] + residual[n, k]).
    /// Threads take contiguous runs of (image, output row).</summary>
    public static void Forward(CpuKernels cpu, ConvGeometry g, float* x, float* w, float* bias, float* y, Epilogue<float> act, float* residual)
    {
        nint px = (nint)x, pw = (nint)w, pb = (nint)bias, py = (nint)y, pr = (nint)residual;
        int vectors = (g.OW + 15) / 16, taps = g.C * 9;
        cpu.ParallelRange(g.N * g.OH, (long)g.N * g.K * g.OutPixels * taps * 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
        {
            // the row's tap vectors: [tap][vector], 27 × 7 × 64 bytes at 112 outputs
            var lanes = (Vector512<float>*)PackBuffers<float>.Scratch((long)taps * vectors * 16);
            for (int u = from; u < to; u++)
            {
                int n = u / g.OH, oy = u % g.OH;
                TapVectors(g, (float*)px + (long)n * g.C * g.H * g.W, oy, vectors, lanes);
                long at = (long)n * g.K * g.OutPixels + (long)oy * g.OW;
                for (int k0 = 0; k0 < g.K; k0 += Block)
                    Channels(g, lanes, vectors, taps, (float*)pw + (long)k0 * taps, pb == 0 ? null : (float*)pb + k0,
                        (float*)py + at + (long)k0 * g.OutPixels, pr == 0 ? null : (float*)pr + at + (long)k0 * g.OutPixels, act);
            }
        });
    }

    /// <summary>lanes[(c·9 + kh·3 + kw)·vectors + v] = x_pad[c, 2oy + kh − 1, 32v + 2j + kw − 1] for lanes j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TapVectors(in ConvGeometry g, float* image, int oy, int vectors, Vector512<float>* lanes)
    {
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        int width = g.W;
        for (int c = 0; c < g.C; c++)
            for (int kh = 0; kh < 3; kh++)
            {
                Vector512<float>* l = lanes + (c * 9 + kh * 3) * vectors, m = l + vectors, r = m + vectors;
                int iy = 2 * oy - 1 + kh;
                if (iy < 0 || iy >= g.H) // padding rows
                {
                    for (int v = 0; v < vectors; v++) l[v] = m[v] = r[v] = default;
                    continue;
                }
                float* row = image + ((long)c * g.H + iy) * width;
                Vector512<float> oddBefore = default;
                for (int v = 0; v < vectors; v++)
                {
                    int col = 32 * v, left = width - col;
                    var v0 = left >= 16 ? Vector512.Load(row + col) : Avx512F.MaskLoad(row + col, DepthwiseStride2Rows.Mask(left), default);
                    var v1 = left >= 32 ? Vector512.Load(row + col + 16) : Avx512F.MaskLoad(row + col + 16, DepthwiseStride2Rows.Mask(left - 16), default);
                    var odd = Avx512F.PermuteVar16x32x2(v0, odds, v1);
                    m[v] = Avx512F.PermuteVar16x32x2(v0, evens, v1);
                    r[v] = odd;
                    l[v] = Avx512F.AlignRight32(odd.AsUInt32(), oddBefore.AsUInt32(), 15).AsSingle();
                    oddBefore = odd;
                }
            }
    }

    /// <summary>Eight output channels' rows: per tap one load and eight FMAs with the channels' broadcast weights.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Channels(in ConvGeometry g, Vector512<float>* lanes, int vectors, int taps, float* w, float* bias, float* y, float* residual, Epilogue<float> act)
    {
        long plane = g.OutPixels;
        float* w1 = w + taps, w2 = w1 + taps, w3 = w2 + taps, w4 = w3 + taps, w5 = w4 + taps, w6 = w5 + taps, w7 = w6 + taps;
        for (int v = 0; v < vectors; v++)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            Vector512<float>* t = lanes + v;
            for (int i = 0; i < taps; i++, t += vectors)
            {
                var s = *t;
                a0 = SimdOps.Fma(s, Vector512.Create(w[i]), a0);
                a1 = SimdOps.Fma(s, Vector512.Create(w1[i]), a1);
                a2 = SimdOps.Fma(s, Vector512.Create(w2[i]), a2);
                a3 = SimdOps.Fma(s, Vector512.Create(w3[i]), a3);
                a4 = SimdOps.Fma(s, Vector512.Create(w4[i]), a4);
                a5 = SimdOps.Fma(s, Vector512.Create(w5[i]), a5);
                a6 = SimdOps.Fma(s, Vector512.Create(w6[i]), a6);
                a7 = SimdOps.Fma(s, Vector512.Create(w7[i]), a7);
            }
            int ox = 16 * v, n = Math.Min(16, g.OW - ox);
            var keep = DepthwiseStride2Rows.Mask(n);
            Store(a0, 0, bias, y, residual, plane, ox, n, keep, act);
            Store(a1, 1, bias, y, residual, plane, ox, n, keep, act);
            Store(a2, 2, bias, y, residual, plane, ox, n, keep, act);
            Store(a3, 3, bias, y, residual, plane, ox, n, keep, act);
            Store(a4, 4, bias, y, residual, plane, ox, n, keep, act);
            Store(a5, 5, bias, y, residual, plane, ox, n, keep, act);
            Store(a6, 6, bias, y, residual, plane, ox, n, keep, act);
            Store(a7, 7, bias, y, residual, plane, ox, n, keep, act);
        }
    }

    /// <summary>Output channel j of the block: act(acc + bias + residual) at [ox, ox + n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> acc, int j, float* bias, float* y, float* residual, long plane, int ox, int n, Vector512<float> keep, Epilogue<float> act)
    {
        if (bias != null) acc += Vector512.Create(bias[j]);
        float* yj = y + j * plane + ox;
        if (residual != null) acc += Avx512F.MaskLoad(residual + j * plane + ox, keep, default);
        acc = act.Apply(acc);
        if (n == 16) acc.Store(yj);
        else Avx512F.MaskStore(yj, keep, acc);
    }
}
