using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Gpu;

namespace NativeCam.Cli.Infrastructure;

/// <summary>Maps --device to a kernel backend.</summary>
public static class DeviceSelection
{
    /// <summary>The accepted --device values.</summary>
    public static readonly string[] Names = ["cpu", "gpu", "ilgpu-cpu", "auto"];

    /// <summary>
    /// cpu: the SIMD CPU kernels on <paramref name="threads"/> threads; gpu: the ILGPU kernels on the first CUDA device
    /// (an error when there is none); ilgpu-cpu: the ILGPU kernels on ILGPU's CPU accelerator (slow; checks the GPU
    /// code path without a GPU); auto: CUDA when present, else the CPU kernels.
    /// </summary>
    /// <returns>The backend and the name reported in outputs ("cpu", "cuda", "ilgpu-cpu").</returns>
    /// <exception cref="InvalidOperationException">--device gpu without a CUDA device.</exception>
    public static (IKernels Backend, string Name) Open(string device, int threads, TextWriter stderr)
    {
        switch (device)
        {
            case "cpu":
                return (new CpuKernels(threads: threads), "cpu");
            case "ilgpu-cpu":
                return (IlgpuKernels.CreateCpu(), "ilgpu-cpu");
            case "gpu":
                if (!IlgpuKernels.IsCudaAvailable)
                    throw new InvalidOperationException("--device gpu: no CUDA device found (an NVIDIA GPU and driver are needed); use --device cpu or auto");
                return Cuda(stderr);
            case "auto":
                if (IlgpuKernels.IsCudaAvailable) return Cuda(stderr);
                stderr.WriteLine("note: --device auto: no CUDA device found; using the CPU");
                return (new CpuKernels(threads: threads), "cpu");
            default:
                throw new UsageException($"--device {device}: expected one of {string.Join(", ", Names)}");
        }
    }

    private static (IKernels, string) Cuda(TextWriter stderr)
    {
        var k = IlgpuKernels.CreateCuda();
        stderr.WriteLine($"note: running on {k.Accelerator.Name}");
        return (k, "cuda");
    }
}
