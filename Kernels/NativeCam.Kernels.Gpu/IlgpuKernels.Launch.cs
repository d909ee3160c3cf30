using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <summary>Launch shape of a grid-stride kernel over n items (see <see cref="GridStride"/>): 256-thread groups,
    /// as many as keep every multiprocessor full (4 waves at most), fewer for small n. On the CPU accelerator, whose
    /// lanes are OS threads, a few 64-lane groups.</summary>
    private KernelConfig Spread(int n)
    {
        bool cpu = Accelerator.AcceleratorType == AcceleratorType.CPU;
        int group = cpu ? 64 : 256;
        int most = cpu ? 4 : Math.Max(1, Accelerator.NumMultiprocessors * Math.Max(1, Accelerator.MaxNumThreadsPerMultiprocessor / group) * 4);
        int groups = (int)Math.Clamp((n + (long)group - 1) / group, 1, most);
        return new KernelConfig(groups, group);
    }

    /// <summary>Launch shape of a group-per-item kernel (<see cref="GroupTree"/> reductions; groups stride over the
    /// items when there are more items than resident groups): 256 threads on a GPU, one 32-lane warp on the CPU
    /// accelerator, whose group barriers cost a context switch per lane.</summary>
    private KernelConfig GroupPerItem(int items)
    {
        bool cpu = Accelerator.AcceleratorType == AcceleratorType.CPU;
        int group = cpu ? 32 : GroupTree.MaxSize;
        int most = cpu ? 4 : Math.Max(1, Accelerator.NumMultiprocessors * Math.Max(1, Accelerator.MaxNumThreadsPerMultiprocessor / group) * 4);
        return new KernelConfig(Math.Clamp(items, 1, most), group);
    }
}
