using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Convolutions with short output rows (ResNet's stride-2 3×3 convolutions at 28, 14 and 7 output columns, 3×3
/// convolutions on 7×7 maps). The implicit im2col (<see cref="Im2colSource{T}"/>) packs each panel row from runs of
/// at most OW elements, each with its own bounds checks, which costs as much as the GEMM's arithmetic on these
/// shapes. Here each image is copied once with its zero padding, the im2col matrix [C·KH·KW, OH·OW] is gathered from
/// the copy through one table of column offsets (no bounds checks: every tap lies inside the padded plane), and the
/// convolution is the pointwise GEMM over that matrix. The GEMM sees the same A, the same B rows in the same order and
/// the same sizes as the implicit path, so the results are bitwise the same.
/// </summary>
internal static unsafe class ShortRowIm2col
{
    /// <summary>Output rows shorter than this take this path.</summary>
    public const int MaxOutWidth = 16;

    /// <summary>Largest im2col matrix gathered at once (elements); images are taken in groups up to it.</summary>
    private const long MaxColsElements = 4L << 20;

    /// <summary>Ungrouped, not 1×1 (pointwise and strided 1×1 have their own paths), rows shorter than
    /// <see cref="MaxOutWidth"/>.</summary>
    public static bool Applies(in ConvGeometry g) => g.G == 1 && (g.KH > 1 || g.KW > 1) && g.OW < MaxOutWidth;

    /// <summary>y = act(W·im2col(x) + bias + residual).</summary>
    public static void Forward<T>(CpuKernels cpu, SimdLevel simd, in ConvGeometry g, T* x, T* w, T* bias, T* y, Epilogue<T> act, T* residual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hp = g.H + g.PT + g.PB, wp = g.W + g.PL + g.PR;
        long planeLength = (long)hp * wp, colsPerImage = (long)g.ColRows * g.OutPixels;
        int group = (int)Math.Clamp(MaxColsElements / Math.Max(1, colsPerImage), 1, g.N);
        T* cols = PackBuffers<T>.Scratch(group * colsPerImage);
        T* padded = PackBuffers<T>.Plane(group * g.C * planeLength);
        // column j = (oh, ow) reads the padded plane at oh·SH·Wp + ow·SW from its tap's corner
        var offsets = new int[g.OutPixels];
        for (int oh = 0, j = 0; oh < g.OH; oh++)
            for (int ow = 0; ow < g.OW; ow++, j++) offsets[j] = oh * g.SH * wp + ow * g.SW;
        var geometry = g;
        nint pc = (nint)cols, pp = (nint)padded;
        for (int n0 = 0; n0 < g.N; n0 += group)
        {
            int count = Math.Min(group, g.N - n0);
            nint px = (nint)(x + (long)n0 * g.C * g.H * g.W);
            cpu.ParallelRange(count * g.C, count * g.C * planeLength,
                [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) => Pad(geometry, (T*)px, (T*)pp, from, to));
            cpu.ParallelRange(count * g.ColRows, count * colsPerImage,
                [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) => Gather(geometry, (T*)pp, offsets, (T*)pc, from, to));
            var pointwise = new ConvGeometry(new Conv2dParams(count, g.ColRows, g.OH, g.OW, g.K, 1, 1));
            long yAt = (long)n0 * g.K * g.OutPixels;
            ConvGemm.Forward(cpu, simd, pointwise, cols, w, bias, y + yAt, act, residual == null ? null : residual + yAt);
        }
    }

    /// <summary>Planes [from, to) of x copied into [H + PT + PB, W + PL + PR] planes with zero borders.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pad<T>(in ConvGeometry g, T* x, T* padded, int from, int to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int wp = g.W + g.PL + g.PR;
        long planeLength = (long)(g.H + g.PT + g.PB) * wp;
        for (int plane = from; plane < to; plane++)
        {
            T* src = x + (long)plane * g.H * g.W, dst = padded + plane * planeLength;
            Zero(dst, g.PT * wp);
            Zero(dst + (long)(g.PT + g.H) * wp, g.PB * wp);
            for (int ih = 0; ih < g.H; ih++)
            {
                T* row = dst + (long)(ih + g.PT) * wp;
                Zero(row, g.PL);
                Copy(src + (long)ih * g.W, row + g.PL, g.W);
                Zero(row + g.PL + g.W, g.PR);
            }
        }
    }

    /// <summary>Rows [from, to) of the images' im2col matrices (row r of image n is index n·C·KH·KW + r; r is
    /// (channel, kh, kw)): row[j] = padded plane[tap corner + offsets[j]].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather<T>(in ConvGeometry g, T* padded, int[] offsets, T* cols, int from, int to) where T : unmanaged
    {
        int wp = g.W + g.PL + g.PR, kk = g.KH * g.KW, n = g.OutPixels;
        long planeLength = (long)(g.H + g.PT + g.PB) * wp;
        fixed (int* off = offsets)
            for (int u = from; u < to; u++)
            {
                int plane = u / kk, t = u % kk; // plane = n·C + c, row r = c·KH·KW + t
                T* src = padded + plane * planeLength + (long)(t / g.KW) * g.DH * wp + (long)(t % g.KW) * g.DW;
                T* dst = cols + (long)u * n;
                for (int j = 0; j < n; j++) dst[j] = src[off[j]];
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Zero<T>(T* p, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (long i = 0; i < n; i++) p[i] = T.Zero;
    }

    /// <summary>d[0..n) = s[0..n): full vectors, then the rest one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<T>(T* s, T* d, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) Vector256.Load(s + i).Store(d + i);
        for (; i < n; i++) d[i] = s[i];
    }
}
