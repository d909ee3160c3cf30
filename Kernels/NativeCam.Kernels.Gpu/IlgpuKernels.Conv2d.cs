namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw) => throw new NotImplementedException("not yet implemented on ILGPU");

}
