namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

    /// <inheritdoc/>
    public void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y) => throw new NotImplementedException("not yet implemented on ILGPU");

}
