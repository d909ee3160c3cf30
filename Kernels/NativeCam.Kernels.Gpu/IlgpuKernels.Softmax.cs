namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Softmax(AxisParams p, IBuffer x, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void LogSoftmax(AxisParams p, IBuffer x, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void LogSumExp(AxisParams p, IBuffer x, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

}
