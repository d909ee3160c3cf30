using BenchmarkDotNet.Attributes;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks;

/// <summary>BenchmarkDotNet view of the GEMM and convolution cases, at 1 and 2 threads.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private BenchCase _case = null!;

    /// <summary>Case name (see <see cref="BenchCase.Names"/>).</summary>
    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    /// <summary>Worker threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>All case names.</summary>
    public static IEnumerable<string> CaseNames => BenchCase.Names;

    /// <summary>Allocates the case.</summary>
    [GlobalSetup]
    public void Setup() => _case = BenchCase.Create(Case, new CpuKernels(SimdLevel.Auto, Threads));

    /// <summary>One call of the kernel.</summary>
    [Benchmark]
    public void Run() => _case.Run();
}
