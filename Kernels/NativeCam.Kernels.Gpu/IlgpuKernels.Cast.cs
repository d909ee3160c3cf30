namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Fill(IBuffer buffer, double value) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void Cast(IBuffer source, IBuffer destination) => throw new NotImplementedException("not yet implemented on ILGPU");

}
