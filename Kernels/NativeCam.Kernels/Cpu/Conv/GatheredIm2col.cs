using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Convolutions whose implicit im2col (<see cref="Im2colSource{T}"/>) packs B at a high cost per use:
/// short output rows (ResNet's stride-2 3×3 convolutions at 14 and 7 output columns, 3×3 convolutions on 7×7 maps),
/// where each panel row is assembled from runs of at most OW elements with their own bounds checks, and stems
/// (C·KH·KW ≤ <see cref="MaxStemRows"/>: 3 channels, 3×3 or 7×7, stride 2), where few output channels use each packed
/// panel and the stride-2 gather costs about as much as the arithmetic. Here each image plane is copied once into a
/// zero-padded, phase-split <see cref="PhasePlane"/> (stride-2 columns become contiguous), each im2col row
/// (channel, kh, kw) is then OH contiguous runs of OW elements of that plane, copied with vector moves, and the
/// convolution is the pointwise GEMM over the gathered matrix [C·KH·KW, OH·OW]. Stems with long output rows skip
/// that matrix: the GEMM packs its B panels from the planes directly (<see cref="PhasePlaneSource{T}"/>; short rows
/// would make each panel row several short copies, slower than packing the gathered matrix). The GEMM sees the same
/// A, the same B rows in the same order and the same sizes as the implicit path, so the results are bitwise the same.
/// </summary>
internal static unsafe class GatheredIm2col
{
    /// <summary>Output rows shorter than this take this path.</summary>
    public const int MaxOutWidth = 16;

    /// <summary>Convolutions with at most this many im2col rows (stems) take this path whatever their width.</summary>
    public const int MaxStemRows = 160;

    /// <summary>Largest im2col matrix gathered at once (elements), or planes copied at once for the stems that pack
    /// from them; images are taken in groups up to it.</summary>
    private const long MaxColsElements = 4L << 20;

    /// <summary>Ungrouped, not 1×1 (pointwise and strided 1×1 have their own paths), and short rows or a stem.</summary>
    public static bool Applies(in ConvGeometry g) =>
        g.G == 1 && (g.KH > 1 || g.KW > 1) && (g.OW < MaxOutWidth || g.ColRows <= MaxStemRows);

    /// <summary>y = act(W·im2col(x) + bias + residual).</summary>
    public static void Forward<T>(CpuKernels cpu, SimdLevel simd, in ConvGeometry g, T* x, T* w, T* bias, T* y, Epilogue<T> act, T* residual,
        T[]? constantWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = new PhasePlane(g);
        long colsPerImage = (long)g.ColRows * g.OutPixels;
        bool fromPlanes = g.OW >= MaxOutWidth; // stems with long output rows (see above)
        long perImage = fromPlanes ? (long)g.C * plane.Length : colsPerImage; // scratch per image: its planes, or its im2col matrix
        int group = (int)Math.Clamp(MaxColsElements / Math.Max(1, perImage), 1, g.N);
        T* cols = fromPlanes ? null : PackBuffers<T>.Scratch(group * colsPerImage);
        T* planes = PackBuffers<T>.Plane(group * g.C * plane.Length);
        var geometry = g;
        nint pc = (nint)cols, pp = (nint)planes;
        for (int n0 = 0; n0 < g.N; n0 += group)
        {
            int count = Math.Min(group, g.N - n0);
            nint px = (nint)(x + (long)n0 * g.C * g.H * g.W);
            cpu.ParallelRange(count * g.C, count * g.C * plane.Length,
                [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
                {
                    for (int c = from; c < to; c++)
                    {
                        T* buf = (T*)pp + c * plane.Length;
                        plane.Clear(buf);
                        plane.CopyInterior((T*)px + (long)c * geometry.H * geometry.W, buf);
                    }
                });
            long yAt = (long)n0 * g.K * g.OutPixels;
            if (fromPlanes)
            {
                var job = GemmJob<T>.Create(count, g.K, g.OutPixels, g.ColRows, false, g.ColRows, g.OutPixels, T.One, T.Zero);
                job.ConstantA = constantWeights;
                job.Act = act;
                job.HasResidual = residual != null;
                job.Residual = residual == null ? 0 : (nint)(residual - y);
                GemmDriver.Run(simd, cpu, job, new PhasePlaneSource<T>(g, plane, planes, w, bias, y + yAt));
                continue;
            }
            cpu.ParallelRange(count * g.ColRows, count * colsPerImage,
                [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) => Gather(geometry, plane, (T*)pp, (T*)pc, from, to));
            var pointwise = new ConvGeometry(new Conv2dParams(count, g.ColRows, g.OH, g.OW, g.K, 1, 1));
            ConvGemm.Forward(cpu, simd, pointwise, cols, w, bias, y + yAt, act, residual == null ? null : residual + yAt, constantWeights);
        }
    }

    /// <summary>Rows [from, to) of the images' im2col matrices (row u = n·C·KH·KW + r, r = (channel, kh, kw)): output
    /// row oh of tap (kh, kw) reads padded row oh·SH + kh·DH, phase (kw·DW) mod SW, from index ⌊kw·DW / SW⌋ on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather<T>(in ConvGeometry g, in PhasePlane plane, T* planes, T* cols, int from, int to)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int kk = g.KH * g.KW;
        nint rowStep = (nint)g.SH * plane.RowStride;
        for (int u = from; u < to; u++)
        {
            int p = u / kk, t = u % kk; // p = n·C + c
            T* src = planes + p * plane.Length + plane.Offset(t / g.KW * g.DH, t % g.KW * g.DW);
            T* dst = cols + (long)u * g.OutPixels;
            for (int oh = 0; oh < g.OH; oh++, src += rowStep, dst += g.OW) PhasePlane.CopyRun(src, dst, g.OW);
        }
    }
}
