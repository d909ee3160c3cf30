using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// 3×3 stride-2 depthwise convolution (padding 1 at the top and left) of float32 NCHW planes with AVX-512, straight
/// from the input rows: 16 output pixels ox₀…ox₀+15 read input columns 2ox₀ − 1 … 2ox₀ + 31, two loads per input
/// row whose even and odd columns two-source permutes separate in registers (the centre tap reads the even ones, the
/// right tap the odd ones, the left tap the odd ones moved up a lane with column 2ox₀ − 1 in lane 0). No copy of the
/// plane: the channel-lane path (<see cref="DepthwiseChannels"/>) transposes every input plane into a padded buffer
/// first, which at 112×112 cost half its time (`dw3x3-96x112s2`). Columns and rows past the input are the zero
/// padding (masked loads, skipped rows); the output row's last vector is a masked store.
/// </summary>
internal static unsafe class DepthwiseStride2Rows
{
    /// <summary>Float32 on the Vector512 path of a processor with AVX-512, one output channel per input channel, 3×3,
    /// stride 2, no dilation, padding 1 at the top and left (bottom and right 0 or 1: the output size tells), output
    /// rows of at least one vector.</summary>
    public static bool Applies<T>(in ConvGeometry g, SimdLevel simd) where T : unmanaged =>
        typeof(T) == typeof(float) && simd == SimdLevel.Vector512 && Avx512F.IsSupported && g.KPG == 1
        && g.KH == 3 && g.KW == 3 && g.SH == 2 && g.SW == 2 && g.DH == 1 && g.DW == 1 && g.PT == 1 && g.PL == 1
        && g.PB <= 1 && g.PR <= 1 && g.OW >= 16;

    /// <summary>y[n, c] = act(bias[c] + Σ_{kh,kw} w[c, kh, kw]·x_pad[n, c, 2oh + kh − 1, 2ow + kw − 1] + residual[n, c]).
    /// Threads take contiguous runs of planes.</summary>
    public static void Forward(CpuKernels cpu, ConvGeometry g, float* x, float* w, float* bias, float* y, Epilogue<float> act, float* residual) =>
        DepthwisePlanes.Run(cpu, g, x, w, bias, y, act, residual, Plane);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(in ConvGeometry g, float* x, float* w, float bias, float* y, float* residual, Epilogue<float> act)
    {
        Vector512<float> w0 = Vector512.Create(w[0]), w1 = Vector512.Create(w[1]), w2 = Vector512.Create(w[2]);
        Vector512<float> w3 = Vector512.Create(w[3]), w4 = Vector512.Create(w[4]), w5 = Vector512.Create(w[5]);
        Vector512<float> w6 = Vector512.Create(w[6]), w7 = Vector512.Create(w[7]), w8 = Vector512.Create(w[8]);
        var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        var b = Vector512.Create(bias);
        int width = g.W, ow = g.OW;
        // outputs in whole vectors whose 32 input columns lie in the row: vector v (ox = 16v) needs 32v + 32 ≤ W
        int whole = width >= 32 ? 16 * (Math.Min((width - 32) / 32, (ow - 16) / 16) + 1) : 0;
        for (int oy = 0; oy < g.OH; oy++)
        {
            int iy = 2 * oy - 1;
            float* r0 = iy >= 0 ? x + (long)iy * width : null;           // rows past the input are padding
            float* r1 = x + (long)(iy + 1) * width;
            float* r2 = iy + 2 < g.H ? x + (long)(iy + 2) * width : null;
            float* yr = y + (long)oy * ow, rr = residual == null ? null : residual + (long)oy * ow;
            // each row's odd columns of the previous vector: lane 15 is the column before this vector's first
            Vector512<float> o0 = default, o1 = default, o2 = default;
            int ox = 0;
            for (; ox < whole; ox += 16)
            {
                int col = 2 * ox;
                var acc = b;
                if (r0 != null) acc = Row(Vector512.Load(r0 + col), Vector512.Load(r0 + col + 16), evens, odds, ref o0, w0, w1, w2, acc);
                acc = Row(Vector512.Load(r1 + col), Vector512.Load(r1 + col + 16), evens, odds, ref o1, w3, w4, w5, acc);
                if (r2 != null) acc = Row(Vector512.Load(r2 + col), Vector512.Load(r2 + col + 16), evens, odds, ref o2, w6, w7, w8, acc);
                if (rr != null) acc += Vector512.Load(rr + ox);
                act.Apply(acc).Store(yr + ox);
            }
            for (; ox < ow; ox += 16) // the row's end: columns past the input read as zero padding, a masked store
            {
                int col = 2 * ox, left = width - col;
                Vector512<float> m0 = Mask(left), m1 = Mask(left - 16), keep = Mask(ow - ox);
                var acc = b;
                if (r0 != null) acc = Row(Avx512F.MaskLoad(r0 + col, m0, default), Avx512F.MaskLoad(r0 + col + 16, m1, default), evens, odds, ref o0, w0, w1, w2, acc);
                acc = Row(Avx512F.MaskLoad(r1 + col, m0, default), Avx512F.MaskLoad(r1 + col + 16, m1, default), evens, odds, ref o1, w3, w4, w5, acc);
                if (r2 != null) acc = Row(Avx512F.MaskLoad(r2 + col, m0, default), Avx512F.MaskLoad(r2 + col + 16, m1, default), evens, odds, ref o2, w6, w7, w8, acc);
                if (rr != null) acc += Avx512F.MaskLoad(rr + ox, keep, default);
                Avx512F.MaskStore(yr + ox, keep, act.Apply(acc));
            }
        }
    }

    /// <summary>acc + wl·x[col − 1 + 2j] + wc·x[col + 2j] + wr·x[col + 1 + 2j] for lanes j, from the 32 columns
    /// v0:v1 starting at col; <paramref name="oddBefore"/> holds the previous 32 columns' odd ones (zero at the row's
    /// start: the padding) and becomes these.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(Vector512<float> v0, Vector512<float> v1, Vector512<int> evens, Vector512<int> odds, ref Vector512<float> oddBefore,
        Vector512<float> wl, Vector512<float> wc, Vector512<float> wr, Vector512<float> acc)
    {
        var even = Avx512F.PermuteVar16x32x2(v0, evens, v1);
        var odd = Avx512F.PermuteVar16x32x2(v0, odds, v1);
        // lane 0 ← column col − 1 (lane 15 of the previous odd columns), lanes 1…15 ← odd lanes 0…14
        var shifted = Avx512F.AlignRight32(odd.AsUInt32(), oddBefore.AsUInt32(), 15).AsSingle();
        oddBefore = odd;
        acc = SimdOps.Fma(wl, shifted, acc);
        acc = SimdOps.Fma(wc, even, acc);
        return SimdOps.Fma(wr, odd, acc);
    }

    /// <summary>Lanes below <paramref name="n"/> set (n clamped to 0…16); also the stems' (<see cref="StemStride2Rows"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Mask(int n) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(Math.Clamp(n, 0, 16))).AsSingle();
}
