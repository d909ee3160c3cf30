using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// 3×3 stride-1 depthwise convolution with padding 1 of float32 NCHW planes of at least 64 columns, with AVX-512
/// straight from the input rows: two output rows at a time read four input rows, each at three column offsets, 18
/// FMAs per 12 loads. Every load is masked (all lanes inside a row; at the row's ends the lanes past it read the
/// padding as zero), so there is no padded copy of the plane, which the row kernels (<see cref="DepthwisePlane"/>)
/// make of every plane first. Measured in the network (per-node minima, alternating): MobileNetV2's 32 channels at
/// 112×112 171–174 → 138–140 µs, EfficientNet-B0's 278–324 → 240–254 µs; at 56×56 the row kernels stay slightly
/// ahead (167–170 against 174–176 µs), and alone, with the plane in L2, ahead at every size (`dw3x3-32x112` 57 against
/// 49 GFLOP/s): the copy costs most where a plane no longer fits the L1 cache.
/// </summary>
internal static unsafe class DepthwiseStride1Rows
{
    /// <summary>Float32 on the Vector512 path of a processor with AVX-512, one output channel per input channel, 3×3,
    /// stride 1, no dilation, padding 1 on every side, rows of at least <see cref="MinColumns"/> outputs.</summary>
    public static bool Applies<T>(in ConvGeometry g, SimdLevel simd) where T : unmanaged =>
        typeof(T) == typeof(float) && simd == SimdLevel.Vector512 && Avx512F.IsSupported && g.KPG == 1
        && g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.DH == 1 && g.DW == 1
        && g.PT == 1 && g.PL == 1 && g.PB == 1 && g.PR == 1 && g.OW >= MinColumns;

    /// <summary>Narrowest rows taken (112×112 planes and up; 56×56 stay with the row kernels).</summary>
    public const int MinColumns = 64;

    /// <summary>y[n, c] = act(bias[c] + Σ_{kh,kw} w[c, kh, kw]·x_pad[n, c, oh + kh − 1, ow + kw − 1] + residual[n, c]).
    /// Threads take contiguous runs of planes.</summary>
    public static void Forward(CpuKernels cpu, ConvGeometry g, float* x, float* w, float* bias, float* y, Epilogue<float> act, float* residual) =>
        DepthwisePlanes.Run(cpu, g, x, w, bias, y, act, residual, Plane);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plane(in ConvGeometry g, float* x, float* w, float bias, float* y, float* residual, Epilogue<float> act)
    {
        int height = g.H, width = g.W;
        Vector512<float> w0 = Vector512.Create(w[0]), w1 = Vector512.Create(w[1]), w2 = Vector512.Create(w[2]);
        Vector512<float> w3 = Vector512.Create(w[3]), w4 = Vector512.Create(w[4]), w5 = Vector512.Create(w[5]);
        Vector512<float> w6 = Vector512.Create(w[6]), w7 = Vector512.Create(w[7]), w8 = Vector512.Create(w[8]);
        var b = Vector512.Create(bias);
        var lanes = Vector512<int>.Indices;
        for (int oy = 0; oy < height; oy += 2)
        {
            bool two = oy + 1 < height, hasAbove = oy > 0, hasBelow = oy + 2 < height;
            float* r0 = x + (long)oy * width;
            float* ra = r0 - width, r1 = r0 + width, rb = r1 + width; // above, next, below (used only where inside)
            float* y0 = y + (long)oy * width;
            float* q0 = residual == null ? null : residual + (long)oy * width;
            for (int ox = 0; ox < width; ox += 16)
            {
                // lanes of columns ox − 1 + j, ox + j, ox + 1 + j inside the row
                var ml = (Vector512.GreaterThanOrEqual(lanes, Vector512.Create(1 - ox)) & Vector512.LessThan(lanes, Vector512.Create(width - ox + 1))).AsSingle();
                var mc = Vector512.LessThan(lanes, Vector512.Create(width - ox)).AsSingle();
                var mr = Vector512.LessThan(lanes, Vector512.Create(width - ox - 1)).AsSingle();
                Vector512<float> a0 = b, a1 = b;
                if (hasAbove)
                {
                    a0 = SimdOps.Fma(w0, Avx512F.MaskLoad(ra + ox - 1, ml, default), a0);
                    a0 = SimdOps.Fma(w1, Avx512F.MaskLoad(ra + ox, mc, default), a0);
                    a0 = SimdOps.Fma(w2, Avx512F.MaskLoad(ra + ox + 1, mr, default), a0);
                }
                var l = Avx512F.MaskLoad(r0 + ox - 1, ml, default);
                var c = Avx512F.MaskLoad(r0 + ox, mc, default);
                var r = Avx512F.MaskLoad(r0 + ox + 1, mr, default);
                a0 = SimdOps.Fma(w3, l, a0);
                a1 = SimdOps.Fma(w0, l, a1);
                a0 = SimdOps.Fma(w4, c, a0);
                a1 = SimdOps.Fma(w1, c, a1);
                a0 = SimdOps.Fma(w5, r, a0);
                a1 = SimdOps.Fma(w2, r, a1);
                if (two)
                {
                    l = Avx512F.MaskLoad(r1 + ox - 1, ml, default);
                    c = Avx512F.MaskLoad(r1 + ox, mc, default);
                    r = Avx512F.MaskLoad(r1 + ox + 1, mr, default);
                    a0 = SimdOps.Fma(w6, l, a0);
                    a1 = SimdOps.Fma(w3, l, a1);
                    a0 = SimdOps.Fma(w7, c, a0);
                    a1 = SimdOps.Fma(w4, c, a1);
                    a0 = SimdOps.Fma(w8, r, a0);
                    a1 = SimdOps.Fma(w5, r, a1);
                }
                if (hasBelow)
                {
                    a1 = SimdOps.Fma(w6, Avx512F.MaskLoad(rb + ox - 1, ml, default), a1);
                    a1 = SimdOps.Fma(w7, Avx512F.MaskLoad(rb + ox, mc, default), a1);
                    a1 = SimdOps.Fma(w8, Avx512F.MaskLoad(rb + ox + 1, mr, default), a1);
                }
                if (q0 != null)
                {
                    a0 += Avx512F.MaskLoad(q0 + ox, mc, default);
                    if (two) a1 += Avx512F.MaskLoad(q0 + width + ox, mc, default);
                }
                Avx512F.MaskStore(y0 + ox, mc, act.Apply(a0));
                if (two) Avx512F.MaskStore(y0 + width + ox, mc, act.Apply(a1));
            }
        }
    }
}
