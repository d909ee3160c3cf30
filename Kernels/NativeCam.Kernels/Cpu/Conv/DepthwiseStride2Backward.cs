using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Backward-input of a 3×3 stride-2 depthwise convolution (padding 1 at the top and left) of float32 NCHW planes with
/// AVX-512, gathered per input row instead of scattered per output row. With y[oy, ox] = Σ w[kh, kw]·x[2oy + kh − 1,
/// 2ox + kw − 1], input row i gets dy row p = i/2 through kh = 1 when i is even, rows p + 1 (kh = 0) and p (kh = 2)
/// when i = 2p + 1 is odd; likewise its columns: dx[i, 2q] = Σ w[kh, 1]·dy[r, q] and dx[i, 2q + 1] =
/// Σ (w[kh, 0]·dy[r, q + 1] + w[kh, 2]·dy[r, q]). Sixteen q at once give 32 columns, interleaved by two two-source
/// permutes; dy columns and rows past the output read as 0 (masked loads, skipped rows), dx columns past the row are
/// not written. Every dx element is written once, in registers: the scatter it replaces cleared a padded plane, added
/// nine row updates per output row into it and copied it out (`PhasePlane.Extract`).
/// </summary>
internal static unsafe class DepthwiseStride2Backward
{
    /// <summary>Float32 on the Vector512 path of a processor with AVX-512, one output channel per input channel, 3×3,
    /// stride 2, no dilation, padding 1 at the top and left (any bottom and right padding: the output size tells).</summary>
    public static bool Applies<T>(in ConvGeometry g, SimdLevel simd) where T : unmanaged =>
        typeof(T) == typeof(float) && simd == SimdLevel.Vector512 && Avx512F.IsSupported && g.KPG == 1
        && g.KH == 3 && g.KW == 3 && g.SH == 2 && g.SW == 2 && g.DH == 1 && g.DW == 1 && g.PT == 1 && g.PL == 1;

    /// <summary>dx[n, c] from dy[n, c] and w[c]; threads take planes.</summary>
    public static void BackwardInput(CpuKernels cpu, ConvGeometry g, float* dy, float* w, float* dx)
    {
        nint pdy = (nint)dy, pw = (nint)w, pdx = (nint)dx;
        cpu.ParallelFor(g.N * g.C, (long)g.N * g.C * g.OutPixels * 18, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u) =>
        {
            int c = u % g.C;
            Plane(g, (float*)pdy + (long)u * g.OutPixels, (float*)pw + c * 9, (float*)pdx + (long)u * g.H * g.W);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(in ConvGeometry g, float* dy, float* w, float* dx)
    {
        var lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var hi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        int width = g.W, ow = g.OW, oh = g.OH;
        for (int i = 0; i < g.H; i++)
        {
            // the dy rows of input row i and their filter rows (kh); a row past the output is skipped
            int p = i >> 1;
            float* ra = null, rb = null;
            int ka = 0, kb = 0;
            if ((i & 1) == 0)
            {
                if (p < oh) { ra = dy + (long)p * ow; ka = 1; }
            }
            else
            {
                if (p + 1 < oh) { ra = dy + (long)(p + 1) * ow; ka = 0; }
                if (p < oh) { rb = dy + (long)p * ow; kb = 2; }
            }
            Vector512<float> a0 = Vector512.Create(w[3 * ka]), a1 = Vector512.Create(w[3 * ka + 1]), a2 = Vector512.Create(w[3 * ka + 2]);
            Vector512<float> b0 = Vector512.Create(w[3 * kb]), b1 = Vector512.Create(w[3 * kb + 1]), b2 = Vector512.Create(w[3 * kb + 2]);
            float* xr = dx + (long)i * width;
            for (int q = 0; 2 * q < width; q += 16)
            {
                Vector512<float> m0 = DepthwiseStride2Rows.Mask(ow - q), m1 = DepthwiseStride2Rows.Mask(ow - q - 1);
                Vector512<float> even = Vector512<float>.Zero, odd = Vector512<float>.Zero;
                if (ra != null) (even, odd) = Taps(ra + q, m0, m1, a0, a1, a2, even, odd);
                if (rb != null) (even, odd) = Taps(rb + q, m0, m1, b0, b1, b2, even, odd);
                var first = Avx512F.PermuteVar16x32x2(even, lo, odd);
                var second = Avx512F.PermuteVar16x32x2(even, hi, odd);
                int left = width - 2 * q;
                if (left >= 32)
                {
                    first.Store(xr + 2 * q);
                    second.Store(xr + 2 * q + 16);
                }
                else
                {
                    Avx512F.MaskStore(xr + 2 * q, DepthwiseStride2Rows.Mask(left), first);
                    Avx512F.MaskStore(xr + 2 * q + 16, DepthwiseStride2Rows.Mask(left - 16), second);
                }
            }
        }
    }

    /// <summary>One dy row's share of 16 even and 16 odd columns: even += w₁·dy[q], odd += w₀·dy[q + 1] + w₂·dy[q].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Even, Vector512<float> Odd) Taps(float* r, Vector512<float> m0, Vector512<float> m1,
        Vector512<float> w0, Vector512<float> w1, Vector512<float> w2, Vector512<float> even, Vector512<float> odd)
    {
        var at = Avx512F.MaskLoad(r, m0, Vector512<float>.Zero);
        var next = Avx512F.MaskLoad(r + 1, m1, Vector512<float>.Zero);
        return (SimdOps.Fma(w1, at, even), SimdOps.Fma(w0, next, SimdOps.Fma(w2, at, odd)));
    }
}
