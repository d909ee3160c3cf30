namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0) => throw new NotImplementedException("not yet implemented on ILGPU");

}
