namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y) =>
        throw new NotImplementedException("CPU conv2d is not implemented yet");

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx) =>
        throw new NotImplementedException("CPU conv2d backward-input is not implemented yet");

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw) =>
        throw new NotImplementedException("CPU conv2d backward-weight is not implemented yet");
}
