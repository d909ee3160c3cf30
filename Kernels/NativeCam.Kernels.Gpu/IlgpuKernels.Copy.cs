namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void GatherFlat(IBuffer x, IBuffer index, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

}
