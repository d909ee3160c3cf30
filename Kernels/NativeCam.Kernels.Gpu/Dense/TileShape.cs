namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// The thread layout of the tiled GEMM: R×R threads per group, each computing a 4×4 register block, so a group
/// computes a 4R×4R tile of C. The value is a constant of the struct type, so each shape compiles to its own kernel
/// with every tile index folded.
/// </summary>
internal interface ITileShape
{
    /// <summary>R: threads along each side of the group.</summary>
    int RowThreads { get; }
}

/// <summary>The GPU tile: 16×16 = 256 threads, 64×64 tile of C.</summary>
internal readonly struct Tile64 : ITileShape
{
    public int RowThreads => 16;
}

/// <summary>
/// A 16×16 tile with 4×4 = 16 threads, for ILGPU's CPU accelerator: it runs every thread of a group as an OS thread
/// and a group barrier costs milliseconds there, so small groups keep the same kernel code testable in reasonable time.
/// </summary>
internal readonly struct Tile16 : ITileShape
{
    public int RowThreads => 4;
}
