namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y) =>
        throw new NotImplementedException("CPU resize is not implemented yet");

    /// <inheritdoc/>
    public void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx) =>
        throw new NotImplementedException("CPU resize backward is not implemented yet");
}
