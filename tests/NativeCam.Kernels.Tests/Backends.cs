using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Gpu;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// Every backend (and SIMD path) the kernel tests run on. A test takes a backend name from <see cref="Names"/> as
/// theory data and compares the backend's result with the scalar float64 reference in Reference/.
/// </summary>
public static class Backends
{
    private static readonly Dictionary<string, Func<IKernels>> Factories = new()
    {
        ["cpu-avx512-1t"] = () => new CpuKernels(SimdLevel.Vector512, 1),
        ["cpu-avx512-2t"] = () => new CpuKernels(SimdLevel.Vector512, 2),
        ["cpu-avx2-1t"] = () => new CpuKernels(SimdLevel.Vector256, 1),
        ["cpu-avx2-2t"] = () => new CpuKernels(SimdLevel.Vector256, 2),
        ["cpu-scalar"] = () => new CpuKernels(SimdLevel.Scalar, 1),
        // where the processor lacks AVX-512 the Vector512 code still runs, emulated in software
        ["cpu-avx512-emulated-1t"] = () => CpuKernels.CreateEmulated(SimdLevel.Vector512, 1),
        ["cpu-avx512-emulated-2t"] = () => CpuKernels.CreateEmulated(SimdLevel.Vector512, 2),
        // the GPU kernels on ILGPU's CPU accelerator (handles share one accelerator: each kernel compiles once a run)
        ["ilgpu-cpu"] = IlgpuKernels.CreateCpu,
        // the GPU kernels on the first CUDA device; listed only where ILGPU finds one
        ["ilgpu-cuda"] = () => IlgpuKernels.CreateCuda(),
    };

    /// <summary>Backend names, as xunit member data; those this machine cannot run (no AVX-512, no CUDA device) are left out.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var name in Factories.Keys)
            {
                bool has512 = CpuKernels.IsSupported(SimdLevel.Vector512);
                if (name.Contains("emulated") ? has512 : name.Contains("avx512") && !has512) continue;
                if (name.Contains("avx2") && !CpuKernels.IsSupported(SimdLevel.Vector256)) continue;
                if (name == "ilgpu-cuda" && !IlgpuKernels.IsCudaAvailable) continue;
                d.Add(name);
            }
            return d;
        }
    }

    /// <summary>Creates the backend of that name.</summary>
    public static IKernels Create(string name) => Factories[name]();

    /// <summary>Uploads doubles as a buffer of the given dtype.</summary>
    public static IBuffer Upload(IKernels k, double[] data, DType dtype)
    {
        var b = k.Allocate(dtype, data.Length);
        if (dtype == DType.Float64) k.Upload<double>(data, b);
        else k.Upload<float>(data.Select(v => (float)v).ToArray(), b);
        return b;
    }

    /// <summary>Uploads an index buffer.</summary>
    public static IBuffer UploadIndex(IKernels k, int[] data)
    {
        var b = k.Allocate(DType.Int32, data.Length);
        k.Upload<int>(data, b);
        return b;
    }

    /// <summary>Downloads a float buffer as doubles.</summary>
    public static double[] Download(IKernels k, IBuffer b)
    {
        if (b.DType == DType.Float64) { var d = new double[b.Length]; k.Download<double>(b, d); return d; }
        var f = new float[b.Length];
        k.Download<float>(b, f);
        return f.Select(v => (double)v).ToArray();
    }

    /// <summary>Seeded uniform values in [lo, hi).</summary>
    public static double[] Random(int n, int seed, double lo = -1, double hi = 1)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * r.NextDouble()).ToArray();
    }

    /// <summary>Asserts |a − e| ≤ atol + rtol·|e| elementwise, naming the first index that fails.</summary>
    public static void AssertClose(double[] expected, double[] actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            if (!(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}: element {i} is {a}, expected {e} (rtol {rtol}, atol {atol})");
        }
    }

    /// <summary>Float tolerance: relative for float32 results of sums of length <paramref name="terms"/>.</summary>
    public static double Tol(DType t, int terms = 1) => t == DType.Float64 ? 1e-12 * Math.Max(1, terms) : 2e-6 * Math.Sqrt(Math.Max(1, terms)) + 1e-6;
}
