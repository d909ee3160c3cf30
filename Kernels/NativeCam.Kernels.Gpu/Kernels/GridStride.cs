using System.Runtime.CompilerServices;
using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// Grid-stride loops: the host launches a grid sized to fill the device (IlgpuKernels.Spread), and thread t handles
/// items t, t + Step, t + 2·Step, …, so consecutive threads touch consecutive items (coalesced) and a launch costs
/// the same whatever n. On ILGPU's CPU accelerator, where every lane is an OS thread, this is also far cheaper than
/// one lane per element.
/// </summary>
internal static class GridStride
{
    /// <summary>This thread's first item.</summary>
    public static int Start
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Grid.IdxX * Group.DimX + Group.IdxX;
    }

    /// <summary>Threads in the grid.</summary>
    public static int Step
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Grid.DimX * Group.DimX;
    }
}
