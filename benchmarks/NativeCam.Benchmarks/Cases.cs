using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks;

/// <summary>One float32 benchmark case with its buffers allocated once; <see cref="Run"/> is the timed call.</summary>
public sealed class BenchCase
{
    private readonly Action _run;

    private BenchCase(string name, double flops, Action run) { Name = name; Flops = flops; _run = run; }

    /// <summary>Case name as reported.</summary>
    public string Name { get; }
    /// <summary>Floating-point operations per call (2 per multiply-add).</summary>
    public double Flops { get; }
    /// <summary>Runs the kernel once.</summary>
    public void Run() => _run();

    /// <summary>The reported case names.</summary>
    public static readonly string[] Names =
        ["gemm-1024", "gemm-256x3136x2304", "conv3x3-64x56", "conv3x3-256x14", "conv3x3-512x7", "conv1x1-256to1024x14", "dwconv3x3-144x56"];

    /// <summary>Builds the named case on <paramref name="k"/>.</summary>
    public static BenchCase Create(string name, CpuKernels k) => name switch
    {
        "gemm-1024" => Gemm(name, k, 1024, 1024, 1024),
        "gemm-256x3136x2304" => Gemm(name, k, 256, 3136, 2304),
        "conv3x3-64x56" => Conv(name, k, new Conv2dParams(1, 64, 56, 56, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1)),
        "conv3x3-256x14" => Conv(name, k, new Conv2dParams(1, 256, 14, 14, 256, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1)),
        "conv3x3-512x7" => Conv(name, k, new Conv2dParams(1, 512, 7, 7, 512, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1)),
        "conv1x1-256to1024x14" => Conv(name, k, new Conv2dParams(1, 256, 14, 14, 1024, 1, 1)),
        "dwconv3x3-144x56" => Conv(name, k, new Conv2dParams(1, 144, 56, 56, 144, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 144)),
        _ => throw new ArgumentException($"unknown case {name}"),
    };

    private static IBuffer Random(CpuKernels k, long n, int seed)
    {
        var r = new Random(seed);
        var data = new float[n];
        for (long i = 0; i < n; i++) data[i] = (float)(r.NextDouble() * 2 - 1);
        var b = k.Allocate(DType.Float32, n);
        k.Upload<float>(data, b);
        return b;
    }

    private static BenchCase Gemm(string name, CpuKernels k, int m, int n, int kk)
    {
        IBuffer a = Random(k, (long)m * kk, 1), b = Random(k, (long)kk * n, 2), c = k.Allocate(DType.Float32, (long)m * n);
        var p = new GemmParams(m, n, kk);
        return new BenchCase(name, 2.0 * m * n * kk, () => k.Gemm(p, a, b, c));
    }

    private static BenchCase Conv(string name, CpuKernels k, Conv2dParams p)
    {
        IBuffer x = Random(k, (long)p.N * p.C * p.H * p.W, 3), w = Random(k, (long)p.K * p.CPerGroup * p.KH * p.KW, 4);
        IBuffer bias = Random(k, p.K, 5), y = k.Allocate(DType.Float32, (long)p.N * p.K * p.OH * p.OW);
        var q = p with { Activation = FusedActivation.Relu };
        return new BenchCase(name, p.Flops, () => k.Conv2d(q, x, w, bias, y));
    }
}
