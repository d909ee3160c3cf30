using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Dense;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

// Launch shapes of the dense kernels (GEMM, convolutions, pooling) and the tiled-GEMM launcher they share.
public sealed partial class IlgpuKernels
{
    private bool? _gpuTiles;

    /// <summary>
    /// True when the dense kernels launch with the GPU shapes (64×64 GEMM tiles of 256 threads, 256-thread
    /// reductions); false selects 16×16 tiles of 16 threads and 16-thread reductions. Defaults to
    /// <see cref="IsGpu"/>: ILGPU's CPU accelerator runs each thread of a group as an OS thread and pays milliseconds
    /// per group barrier on large groups. Set per handle (tests run the GPU shapes on the CPU accelerator too).
    /// </summary>
    internal bool GpuTiles
    {
        get => _gpuTiles ?? IsGpu;
        set => _gpuTiles = value;
    }

    /// <summary>Group size of the one-thread-per-element kernels (small on the CPU accelerator, where each thread of a
    /// group is an OS thread).</summary>
    private int ElementGroupSize => IsGpu ? 256 : 32;

    /// <summary>Edge of the C tile one group computes.</summary>
    private int TileEdge => GpuTiles ? 64 : 16;

    /// <summary>Launches the tiled GEMM kernel on a problem (compiled once per element type, problem type and tile).</summary>
    private void RunTiled<T, TOps, TProblem>(TProblem problem)
        where T : unmanaged where TOps : struct, IFloatOps<T> where TProblem : struct, IGemmProblem<T>
    {
        int edge = TileEdge, rowThreads = edge / 4;
        long groups = TiledGemm.Groups(problem.M, problem.N, problem.Batch, edge);
        if (groups == 0) return;
        if (groups > int.MaxValue) throw new ArgumentException($"gemm: {groups} tiles exceed one launch ({problem.M}×{problem.N}, batch {problem.Batch})");
        var kernel = GpuTiles
            ? Kernel($"tiled-gemm-64 {typeof(TProblem).FullName}", acc => acc.LoadStreamKernel<TProblem>(TiledGemm.Kernel<T, TOps, TProblem, Tile64>))
            : Kernel($"tiled-gemm-16 {typeof(TProblem).FullName}", acc => acc.LoadStreamKernel<TProblem>(TiledGemm.Kernel<T, TOps, TProblem, Tile16>));
        kernel(new KernelConfig((int)groups, rowThreads * rowThreads), problem);
    }
}
