using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// A strided, unpadded 1×1 convolution (ResNet's downsampling shortcuts) as the subsampled image through the
/// pointwise GEMM: x[n, c, SH·i, SW·j] is copied to a compact [C, OH, OW] plane set first, so the GEMM packs B
/// from contiguous rows instead of gathering every SW-th element per panel. The sums are the same, term for term.
/// </summary>
internal static unsafe class StridedPointwise
{
    /// <summary>Most elements of subsampled images held at once (the images run in groups under this).</summary>
    private const long MaxCompactElements = 4L << 20;

    public static bool Applies(in ConvGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.G == 1 && (g.SH > 1 || g.SW > 1) && g.PT == 0 && g.PL == 0 && g.PB == 0 && g.PR == 0;

    public static void Forward<T>(CpuKernels cpu, SimdLevel simd, in ConvGeometry g, T* x, T* w, T* bias, T* y, Epilogue<T> act, T* residual,
        T[]? constantWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long perImage = (long)g.C * g.OH * g.OW;
        int group = (int)Math.Clamp(MaxCompactElements / Math.Max(1, perImage), 1, g.N);
        T* compact = PackBuffers<T>.Scratch(group * perImage);
        var geometry = g;
        nint pc = (nint)compact;
        for (int n0 = 0; n0 < g.N; n0 += group)
        {
            int count = Math.Min(group, g.N - n0);
            nint px = (nint)(x + (long)n0 * g.C * g.H * g.W);
            cpu.ParallelRange(count * g.C, perImage * count, (from, to) => Subsample(geometry, (T*)px, (T*)pc, from, to));
            var pointwise = new ConvGeometry(new Conv2dParams(count, g.C, g.OH, g.OW, g.K, 1, 1));
            long yAt = (long)n0 * g.K * g.OH * g.OW;
            ConvGemm.Forward(cpu, simd, pointwise, compact, w, bias, y + yAt, act, residual == null ? null : residual + yAt, constantWeights);
        }
    }

    /// <summary>Planes [from, to) of x, every SH-th row and SW-th column, packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Subsample<T>(in ConvGeometry g, T* x, T* compact, int from, int to) where T : unmanaged
    {
        for (int plane = from; plane < to; plane++)
        {
            T* src = x + (long)plane * g.H * g.W, dst = compact + (long)plane * g.OH * g.OW;
            for (int i = 0; i < g.OH; i++)
            {
                T* row = src + (long)i * g.SH * g.W;
                for (int j = 0; j < g.OW; j++) dst[j] = row[(long)j * g.SW];
                dst += g.OW;
            }
        }
    }
}
