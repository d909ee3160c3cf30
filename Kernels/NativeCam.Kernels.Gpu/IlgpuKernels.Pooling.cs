using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Dense;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    /// <remarks>NaN propagates (the first NaN of a window wins). A window without any input element (possible only
    /// with dilation or extreme padding) yields −∞ and index −1.</remarks>
    public void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex)
    {
        var s = PoolCheck(p, x, y, "max-pool");
        if (argIndex is not null && argIndex.Length != y.Length)
            throw new ArgumentException($"max-pool: argIndex has {argIndex.Length} elements, y {y.Length}");
        var arg = argIndex is null ? View<int>(IndexPlaceholder()) : View<int>(argIndex);
        int write = argIndex is null ? 0 : 1;
        if (y.Length == 0) return;
        if (FloatType(x, y) == DType.Float32)
            Kernel("max-pool Single", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, PoolShape>(PoolKernels.Max<float, F32Ops>, ElementGroupSize))
                ((int)y.Length, View<float>(x), View<float>(y), arg, write, s);
        else
            Kernel("max-pool Double", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<int>, int, PoolShape>(PoolKernels.Max<double, F64Ops>, ElementGroupSize))
                ((int)y.Length, View<double>(x), View<double>(y), arg, write, s);
    }

    /// <inheritdoc/>
    /// <remarks>A window with no counted element (divisor 0) yields 0.</remarks>
    public void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y)
    {
        var s = PoolCheck(p, x, y, "avg-pool");
        if (y.Length == 0) return;
        if (FloatType(x, y) == DType.Float32)
            Kernel("avg-pool Single", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, PoolShape>(PoolKernels.Average<float, F32Ops>, ElementGroupSize))
                ((int)y.Length, View<float>(x), View<float>(y), s);
        else
            Kernel("avg-pool Double", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, PoolShape>(PoolKernels.Average<double, F64Ops>, ElementGroupSize))
                ((int)y.Length, View<double>(x), View<double>(y), s);
    }

    /// <inheritdoc/>
    public void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx)
    {
        var s = PoolCheck(p, dx, dy, "avg-pool backward");
        if (dx.Length == 0) return;
        if (FloatType(dy, dx) == DType.Float32)
            Kernel("avg-pool-backward Single", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, PoolShape>(PoolKernels.AverageBackward<float, F32Ops>, ElementGroupSize))
                ((int)dx.Length, View<float>(dy), View<float>(dx), s);
        else
            Kernel("avg-pool-backward Double", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<double>, ArrayView<double>, PoolShape>(PoolKernels.AverageBackward<double, F64Ops>, ElementGroupSize))
                ((int)dx.Length, View<double>(dy), View<double>(dx), s);
    }

    /// <summary>A one-element Int32 buffer standing in for an absent argIndex (never written).</summary>
    private IBuffer IndexPlaceholder() => Kernel("pool index placeholder", _ => new IlgpuBuffer<int>(this, 1));

    /// <summary>Validates a pooling call (the CPU backend's rules and messages) and returns the kernel's shape.</summary>
    private static PoolShape PoolCheck(in Pool2dParams p, IBuffer x, IBuffer y, string what)
    {
        KernelChecks.Pool2d(p, x, y, what);
        long xl = (long)p.N * p.C * p.H * p.W, yl = (long)p.N * p.C * p.OH * p.OW;
        if (xl > int.MaxValue || yl > int.MaxValue) throw new ArgumentException($"{what}: tensors over {int.MaxValue} elements are not supported on ILGPU ({p})");
        return new PoolShape
        {
            H = p.H, W = p.W, KH = p.KH, KW = p.KW, SH = p.StrideH, SW = p.StrideW, DH = p.DilationH, DW = p.DilationW,
            PT = p.PadTop, PL = p.PadLeft, PB = p.PadBottom, PR = p.PadRight, OH = p.OH, OW = p.OW, IncludePad = p.CountIncludePad ? 1 : 0,
        };
    }
}
