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
/// nine row updates per output row into it and copied it out (`PhasePlane.Extract`). 5×5 filters with padding 2 (an
/// EfficientNet's downsampling layers) go the same way (<see cref="Plane5"/>): input row i gets the dy rows
/// (i + 2 − kh)/2 of the filter rows kh of its parity, even columns three taps and odd ones two.
/// </summary>
internal static unsafe class DepthwiseStride2Backward
{
    /// <summary>Float32 on the Vector512 path of a processor with AVX-512, one output channel per input channel, 3×3
    /// with padding 1 or 5×5 with padding 2 at the top and left (any bottom and right padding: the output size tells),
    /// stride 2, no dilation.</summary>
    public static bool Applies<T>(in ConvGeometry g, SimdLevel simd) where T : unmanaged =>
        typeof(T) == typeof(float) && simd == SimdLevel.Vector512 && Avx512F.IsSupported && g.KPG == 1
        && g.SH == 2 && g.SW == 2 && g.DH == 1 && g.DW == 1
        && (g.KH == 3 && g.KW == 3 && g.PT == 1 && g.PL == 1 || g.KH == 5 && g.KW == 5 && g.PT == 2 && g.PL == 2);

    /// <summary>dx[n, c] from dy[n, c] and w[c]; threads take planes.</summary>
    public static void BackwardInput(CpuKernels cpu, ConvGeometry g, float* dy, float* w, float* dx)
    {
        nint pdy = (nint)dy, pw = (nint)w, pdx = (nint)dx;
        int taps = g.KH * g.KW;
        cpu.ParallelFor(g.N * g.C, (long)g.N * g.C * g.OutPixels * 2 * taps, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u) =>
        {
            int c = u % g.C;
            float* pu = (float*)pdy + (long)u * g.OutPixels, wc = (float*)pw + c * taps, xu = (float*)pdx + (long)u * g.H * g.W;
            if (taps == 9) Plane(g, pu, wc, xu);
            else Plane5(g, pu, wc, xu);
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
                Store(xr + 2 * q, width - 2 * q, Avx512F.PermuteVar16x32x2(even, lo, odd), Avx512F.PermuteVar16x32x2(even, hi, odd));
            }
        }
    }

    /// <summary>5×5, padding 2: dx[i, 2q] = Σ_kh (w[kh, 0]·dy[r, q + 1] + w[kh, 2]·dy[r, q] + w[kh, 4]·dy[r, q − 1]) and
    /// dx[i, 2q + 1] = Σ_kh (w[kh, 1]·dy[r, q + 1] + w[kh, 3]·dy[r, q]) over the filter rows kh of i's parity, r = (i +
    /// 2 − kh)/2 inside the output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane5(in ConvGeometry g, float* dy, float* w, float* dx)
    {
        var lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var hi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        int width = g.W, ow = g.OW, oh = g.OH;
        float** rows = stackalloc float*[3];
        float** filters = stackalloc float*[3];
        for (int i = 0; i < g.H; i++)
        {
            int n = 0;
            for (int kh = i & 1; kh < 5; kh += 2)
            {
                int r = (i + 2 - kh) >> 1;
                if (r < 0 || r >= oh) continue; // a row past the output
                rows[n] = dy + (long)r * ow;
                filters[n++] = w + 5 * kh;
            }
            float* xr = dx + (long)i * width;
            for (int q = 0; 2 * q < width; q += 16)
            {
                // lanes of dy columns q − 1 + j, q + j, q + 1 + j inside the row
                var mp = (Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(1 - q))
                    & Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(ow - q + 1))).AsSingle();
                Vector512<float> m0 = DepthwiseStride2Rows.Mask(ow - q), m1 = DepthwiseStride2Rows.Mask(ow - q - 1);
                Vector512<float> even = Vector512<float>.Zero, odd = Vector512<float>.Zero;
                for (int k = 0; k < n; k++)
                {
                    float* r = rows[k] + q, f = filters[k];
                    var prev = Avx512F.MaskLoad(r - 1, mp, Vector512<float>.Zero);
                    var at = Avx512F.MaskLoad(r, m0, Vector512<float>.Zero);
                    var next = Avx512F.MaskLoad(r + 1, m1, Vector512<float>.Zero);
                    even = SimdOps.Fma(Vector512.Create(f[4]), prev, SimdOps.Fma(Vector512.Create(f[2]), at, SimdOps.Fma(Vector512.Create(f[0]), next, even)));
                    odd = SimdOps.Fma(Vector512.Create(f[3]), at, SimdOps.Fma(Vector512.Create(f[1]), next, odd));
                }
                Store(xr + 2 * q, width - 2 * q, Avx512F.PermuteVar16x32x2(even, lo, odd), Avx512F.PermuteVar16x32x2(even, hi, odd));
            }
        }
    }

    /// <summary>32 interleaved columns at <paramref name="x"/>, of which <paramref name="left"/> lie in the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* x, int left, Vector512<float> first, Vector512<float> second)
    {
        if (left >= 32)
        {
            first.Store(x);
            second.Store(x + 16);
        }
        else
        {
            Avx512F.MaskStore(x, DepthwiseStride2Rows.Mask(left), first);
            Avx512F.MaskStore(x + 16, DepthwiseStride2Rows.Mask(left - 16), second);
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
