using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// 3×3 stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray 2016): each 2×2 block of
/// outputs is Aᵀ·[U ⊙ V]·A with U = G·g·Gᵀ (the filter, <see cref="WinogradWeights"/>) and V = Bᵀ·d·B (the 4×4
/// input tile, <see cref="WinogradTiles"/>). Summed over channels the products are 16 GEMMs, one per tile element e:
/// M[e] (K × tiles) = U[e] (K × C) · V[e] (C × tiles): 16 multiply-adds per 4 outputs against 36, 2.25× fewer. The
/// transforms are additions (and halvings of the filter), so the result equals the direct convolution to rounding,
/// with errors a few times the direct one's in float32.
/// Per image: transform every channel's tiles, the 16 GEMMs, transform back with bias, residual and activation; an
/// image's result does not depend on the batch around it.
/// </summary>
internal static unsafe class Winograd
{
    /// <summary>Fewest input and output channels for which the transform pays (below, the GEMMs are too thin).</summary>
    public const int MinChannels = 16;

    /// <summary>Whether the geometry is a 3×3, stride-1, undilated, ungrouped convolution with enough channels and
    /// at least a few output tiles.</summary>
    public static bool Applies(in ConvGeometry g) =>
        g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.DH == 1 && g.DW == 1 && g.G == 1
        && g.C >= MinChannels && g.K >= MinChannels && g.OH >= 4 && g.OW >= 4;

    /// <summary>
    /// The convolution that gives dx of the convolution <paramref name="g"/> from dy (dy as input, C outputs, padding
    /// 2 − p), or null where that is not a Winograd case (padding over 2 would need a crop).
    /// </summary>
    public static ConvGeometry? BackwardInput(in ConvGeometry g)
    {
        if (!Applies(g) || g.PT > 2 || g.PL > 2 || g.PB > 2 || g.PR > 2) return null;
        var back = new ConvGeometry(new Conv2dParams(g.N, g.K, g.OH, g.OW, g.C, 3, 3,
            PadTop: 2 - g.PT, PadLeft: 2 - g.PL, PadBottom: 2 - g.PB, PadRight: 2 - g.PR));
        return Applies(back) && back.OH == g.H && back.OW == g.W ? back : null;
    }

    /// <summary>Bytes of V and M per block of tile rows: small enough to stay in the last-level cache.</summary>
    private const long BlockBytes = 2L << 20;

    /// <summary>y = act(conv(x, w) + bias + residual) with <paramref name="u"/> the transformed weights of w
    /// (<paramref name="constantU"/>: their cached array, whose GEMM panels are then packed once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(CpuKernels cpu, SimdLevel simd, in ConvGeometry g, T* x, T* u, T* bias, T* y, Epilogue<T> act, T* residual,
        T[]? constantU = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2;
        // tile rows per block: V and M of a block (16 · (C + K) · tiles elements) within BlockBytes
        int rows = (int)Math.Clamp(BlockBytes / (16L * (g.C + g.K) * tw * sizeof(T)), 1, th);
        int tpMax = (rows * tw + 15) & ~7; // V and M rows: 7 spare entries for the vector path, 8-aligned
        T* v = PackBuffers<T>.Scratch(16L * (g.C + g.K) * tpMax);
        for (int n = 0; n < g.N; n++)
        {
            T* xn = x + (long)n * g.C * g.H * g.W, yn = y + (long)n * g.K * g.OH * g.OW;
            T* rn = residual == null ? null : residual + (long)n * g.K * g.OH * g.OW;
            for (int ty0 = 0; ty0 < th; ty0 += rows)
                Block(cpu, simd, g, xn, u, bias, yn, act, rn, ty0, Math.Min(rows, th - ty0), tw, v, constantU);
        }
    }

    /// <summary>Tile rows [ty0, ty0 + nb) of one image.</summary>
    private static void Block<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* x, T* u, T* bias, T* y, Epilogue<T> act, T* residual,
        int ty0, int nb, int tw, T* v, T[]? constantU)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int tiles = nb * tw, tp = (tiles + 15) & ~7;
        int hp = 2 * nb + 2, wp = 16 * ((tw + 7) / 8) + 2;
        long vStride = (long)g.C * tp, mStride = (long)g.K * tp;
        nint pv = (nint)v, pm = (nint)(v + 16 * vStride), px = (nint)x, py = (nint)y, pr = (nint)residual, pb = (nint)bias;
        cpu.ParallelRange(g.C, 32L * g.C * tiles, (c0, c1) => InputChannels(simd, g, (T*)px, c0, c1, ty0, nb, tw, hp, wp, (T*)pv, tp, vStride));
        var job = GemmJob<T>.Create(16, g.K, tiles, g.C, false, g.C, tp, T.One, T.Zero);
        job.ConstantA = constantU;
        job.ConstantAStride = (long)g.K * g.C;
        GemmDriver.Run(simd, cpu, job, new DenseGemmSource<T>(u, (long)g.K * g.C, v, vStride, tp, false, (T*)pm, mStride));
        int oh = Math.Min(2 * nb, g.OH - 2 * ty0);
        cpu.ParallelRange(g.K, 32L * g.K * tiles, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (k0, k1) =>
            OutputChannels(simd, g, (T*)pm, k0, k1, ty0, nb, tw, oh, tp, mStride, (T*)pb, (T*)py, (T*)pr, act));
    }

    /// <summary>Channels [c0, c1) of one block: each through the zero-padded plane into V.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputChannels<T>(SimdLevel simd, in ConvGeometry g, T* x, int c0, int c1, int ty0, int nb, int tw, int hp, int wp,
        T* v, int tp, long vStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* plane = PackBuffers<T>.Plane((long)hp * wp);
        new Span<T>(plane, hp * wp).Clear(); // columns outside the image stay zero for every channel
        for (int c = c0; c < c1; c++)
        {
            T* src = x + (long)c * g.H * g.W;
            for (int row = 0; row < hp; row++)
            {
                int r = 2 * ty0 + row - g.PT;
                if (r >= 0 && r < g.H) new Span<T>(src + (long)r * g.W, g.W).CopyTo(new Span<T>(plane + (long)row * wp + g.PL, g.W));
                else new Span<T>(plane + (long)row * wp, wp).Clear();
            }
            WinogradTiles.Input(simd, plane, wp, nb, tw, v + (long)c * tp, vStride);
        }
    }

    /// <summary>Output channels [k0, k1) of one block: from M through bias, residual and activation into y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputChannels<T>(SimdLevel simd, in ConvGeometry g, T* m, int k0, int k1, int ty0, int nb, int tw, int oh, int tp,
        long mStride, T* bias, T* y, T* residual, in Epilogue<T> act)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = k0; k < k1; k++)
        {
            long at = (long)k * g.OH * g.OW + 2L * ty0 * g.OW;
            T* yk = y + at;
            WinogradTiles.Output(simd, m + (long)k * tp, mStride, nb, tw, yk, oh, g.OW, bias == null ? T.Zero : bias[k],
                residual == null ? null : residual + at);
            act.ApplyInPlace(simd, yk, oh * g.OW);
        }
    }
}
