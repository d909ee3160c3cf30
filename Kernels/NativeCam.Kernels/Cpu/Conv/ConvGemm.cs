using System.Numerics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// General (grouped, strided, dilated, padded) convolution through GEMM. Per image n and group g, with
/// X = im2col(x[n, g]) ([CPG·KH·KW, OH·OW]) and W = w[g] ([KPG, CPG·KH·KW]):
/// forward y = W·X (implicit im2col), backward-input dx = col2im(Wᵀ·dy), backward-weight dw = Σₙ dy·Xᵀ.
/// </summary>
internal static unsafe class ConvGemm
{
    /// <summary>y = act(W·im2col(x) + bias + residual); <paramref name="constantWeights"/> (w's array, never changed
    /// again) lets an ungrouped convolution use its weights packed once (<see cref="PrepackedA"/>).</summary>
    public static void Forward<T>(CpuKernels cpu, SimdLevel simd, in ConvGeometry g, T* x, T* w, T* bias, T* y, Epilogue<T> act, T* residual,
        T[]? constantWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var job = GemmJob<T>.Create(g.N * g.G, g.KPG, g.OutPixels, g.ColRows, false, g.ColRows, g.OutPixels, T.One, T.Zero);
        if (g.G == 1) job.ConstantA = constantWeights;
        job.Act = act;
        job.HasResidual = residual != null;
        job.Residual = residual == null ? 0 : (nint)(residual - y);
        GemmDriver.Run(simd, cpu, job, new Im2colSource<T>(g, x, w, bias, y));
    }

    /// <summary>dx = col2im(Wᵀ·dy) per image and group; units run in parallel when there are enough of them,
    /// else each GEMM is parallel. <paramref name="constantWeights"/> (w's array, never changed again): an ungrouped
    /// convolution's Wᵀ panels are packed once (<see cref="PrepackedA"/>).</summary>
    public static void BackwardInput<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* dy, T* w, T* dx, T[]? constantWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int units = g.N * g.G;
        bool perUnit = units >= cpu.Threads;
        nint pdy = (nint)dy, pw = (nint)w, pdx = (nint)dx;
        void Unit(int u)
        {
            int n = u / g.G, grp = u % g.G, opix = g.OutPixels;
            T* dyg = (T*)pdy + ((long)n * g.K + (long)grp * g.KPG) * opix;
            T* wg = (T*)pw + (long)grp * g.KPG * g.ColRows;
            T* dxg = (T*)pdx + ((long)n * g.C + (long)grp * g.CPG) * g.H * g.W;
            T* cols = g.IsPointwise ? dxg : PackBuffers<T>.Scratch((long)g.ColRows * opix);
            var job = GemmJob<T>.Create(1, g.ColRows, opix, g.KPG, true, g.ColRows, opix, T.One, T.Zero);
            if (g.G == 1) job.ConstantA = constantWeights;
            GemmDriver.Run(simd, perUnit ? null : cpu, job, new DenseGemmSource<T>(wg, 0, dyg, 0, opix, false, cols, 0));
            if (g.IsPointwise) return;
            if (perUnit) Im2col.Collapse(g, cols, dxg, 0, g.CPG);
            else
            {
                nint pc = (nint)cols, px = (nint)dxg;
                cpu.ParallelFor(g.CPG, (long)g.ColRows * opix, c => Im2col.Collapse(g, (T*)pc, (T*)px, c, c + 1));
            }
        }
        if (perUnit) cpu.ParallelFor(units, 2L * g.ColRows * g.OutPixels * g.KPG * units, Unit);
        else for (int u = 0; u < units; u++) Unit(u);
    }

    /// <summary>dw[g] = Σₙ dy[n, g]·im2col(x[n, g])ᵀ; groups run in parallel when there are enough of them.</summary>
    public static void BackwardWeight<T>(CpuKernels cpu, SimdLevel simd, ConvGeometry g, T* x, T* dy, T* dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool perGroup = g.G >= cpu.Threads;
        nint px = (nint)x, pdy = (nint)dy, pdw = (nint)dw;
        void Group(int grp)
        {
            int opix = g.OutPixels;
            T* dwg = (T*)pdw + (long)grp * g.KPG * g.ColRows;
            if (g.N == 0) { new Span<T>(dwg, g.KPG * g.ColRows).Clear(); return; }
            T* cols = g.IsPointwise ? null : PackBuffers<T>.Scratch((long)g.ColRows * opix);
            for (int n = 0; n < g.N; n++)
            {
                T* dyg = (T*)pdy + ((long)n * g.K + (long)grp * g.KPG) * opix;
                T* xg = (T*)px + ((long)n * g.C + (long)grp * g.CPG) * g.H * g.W;
                T* b = xg;
                if (!g.IsPointwise)
                {
                    if (perGroup) Im2col.Expand(g, xg, cols, 0, g.CPG);
                    else
                    {
                        nint pc = (nint)cols, pxg = (nint)xg;
                        cpu.ParallelFor(g.CPG, (long)g.ColRows * opix, c => Im2col.Expand(g, (T*)pxg, (T*)pc, c, c + 1));
                    }
                    b = cols;
                }
                var job = GemmJob<T>.Create(1, g.KPG, g.ColRows, opix, false, opix, g.ColRows, T.One, n == 0 ? T.Zero : T.One);
                GemmDriver.Run(simd, perGroup ? null : cpu, job, new DenseGemmSource<T>(dyg, 0, b, 0, opix, true, dwg, 0));
            }
        }
        if (perGroup) cpu.ParallelFor(g.G, 2L * g.KPG * g.ColRows * g.OutPixels * g.N * g.G, Group);
        else for (int grp = 0; grp < g.G; grp++) Group(grp);
    }
}
