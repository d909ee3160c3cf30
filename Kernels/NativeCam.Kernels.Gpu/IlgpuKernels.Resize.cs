namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx) => throw new NotImplementedException("not yet implemented on ILGPU");

}
