namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null) => throw new NotImplementedException("not yet implemented on ILGPU");

}
