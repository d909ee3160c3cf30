namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c) => throw new NotImplementedException("not yet implemented on ILGPU");

}
