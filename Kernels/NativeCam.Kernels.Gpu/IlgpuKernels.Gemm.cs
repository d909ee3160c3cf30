using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Dense;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c)
    {
        var t = FloatType(a, b, c);
        ValidateGemm(p, a.Length, b.Length, c.Length);
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        if (t == DType.Float32)
            RunTiled<float, Float32Ops, GemmProblem<float, Float32Ops>>(GemmOf<float, Float32Ops>(p, View<float>(a), View<float>(b), View<float>(c), (float)p.Alpha, (float)p.Beta));
        else
            RunTiled<double, Float64Ops, GemmProblem<double, Float64Ops>>(GemmOf<double, Float64Ops>(p, View<double>(a), View<double>(b), View<double>(c), p.Alpha, p.Beta));
    }

    private static GemmProblem<T, TOps> GemmOf<T, TOps>(in GemmParams p, ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, T alpha, T beta)
        where T : unmanaged where TOps : struct, IDenseOps<T> => new()
    {
        A = a, B = b, C = c, Rows = p.M, Cols = p.N, Depth = p.K, Count = p.Batch,
        Lda = p.LdaOrDefault, Ldb = p.LdbOrDefault, Ldc = p.LdcOrDefault, TransA = p.TransA ? 1 : 0, TransB = p.TransB ? 1 : 0,
        ReadC = p.Beta != 0 ? 1 : 0, OffsetA = p.OffsetA, OffsetB = p.OffsetB, OffsetC = p.OffsetC,
        StrideA = p.StrideA, StrideB = p.StrideB, StrideC = p.StrideC, Alpha = alpha, Beta = beta,
    };

    private bool? _gpuTiles;

    /// <summary>
    /// True when the tiled GEMM runs with the GPU tile (64×64, 256 threads); false selects the 16×16 tile of 16
    /// threads. Defaults to <see cref="IsGpu"/>: ILGPU's CPU accelerator pays milliseconds per group barrier on the
    /// large groups. Set per handle (tests run the GPU tile on the CPU accelerator too).
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
        where T : unmanaged where TOps : struct, IDenseOps<T> where TProblem : struct, IGemmProblem<T>
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

    /// <summary>Checks shapes, leading dimensions and that every addressed element lies inside its buffer
    /// (the CPU backend's rules and messages).</summary>
    private static void ValidateGemm(in GemmParams p, long lenA, long lenB, long lenC)
    {
        if (p.M < 0 || p.N < 0 || p.K < 0 || p.Batch < 0)
            throw new ArgumentException($"gemm: negative size (M {p.M}, N {p.N}, K {p.K}, batch {p.Batch})");
        if (p.StrideA < 0 || p.StrideB < 0 || p.StrideC < 0 || p.OffsetA < 0 || p.OffsetB < 0 || p.OffsetC < 0)
            throw new ArgumentException("gemm: strides and offsets must be ≥ 0");
        int aRows = p.TransA ? p.K : p.M, aCols = p.TransA ? p.M : p.K;
        int bRows = p.TransB ? p.N : p.K, bCols = p.TransB ? p.K : p.N;
        Check("A", p.Batch, aRows, aCols, p.LdaOrDefault, p.OffsetA, p.StrideA, lenA);
        Check("B", p.Batch, bRows, bCols, p.LdbOrDefault, p.OffsetB, p.StrideB, lenB);
        Check("C", p.Batch, p.M, p.N, p.LdcOrDefault, p.OffsetC, p.StrideC, lenC);

        static void Check(string name, int batch, int rows, int cols, int ld, long offset, long stride, long length)
        {
            if (rows == 0 || cols == 0 || batch == 0) return;
            if (ld < cols) throw new ArgumentException($"gemm: leading dimension of {name} is {ld}, below its {cols} columns");
            long last = offset + (batch - 1) * stride + (long)(rows - 1) * ld + cols - 1;
            if (last >= length) throw new ArgumentException($"gemm: {name} addresses element {last} of a buffer of {length}");
        }
    }
}
