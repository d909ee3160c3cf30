namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx) => throw new NotImplementedException("not yet implemented on ILGPU");

}
