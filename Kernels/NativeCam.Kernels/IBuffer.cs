namespace NativeCam.Kernels;

/// <summary>
/// A flat, contiguous block of elements owned by one backend (host memory for the CPU backend, device memory for
/// a GPU backend). Buffers are reference counted: <see cref="Retain"/> adds an owner (a reshaped view shares its
/// buffer), <see cref="IDisposable.Dispose"/> drops one; the memory is released when the last owner is gone.
/// </summary>
public interface IBuffer : IDisposable
{
    /// <summary>Element type.</summary>
    DType DType { get; }

    /// <summary>Number of elements.</summary>
    long Length { get; }

    /// <summary>The backend that owns this buffer; kernels accept only their own buffers.</summary>
    IKernels Backend { get; }

    /// <summary>Adds an owner; returns this buffer.</summary>
    IBuffer Retain();
}
