namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex) =>
        throw new NotImplementedException("CPU max-pool is not implemented yet");

    /// <inheritdoc/>
    public void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y) =>
        throw new NotImplementedException("CPU avg-pool is not implemented yet");

    /// <inheritdoc/>
    public void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx) =>
        throw new NotImplementedException("CPU avg-pool backward is not implemented yet");
}
