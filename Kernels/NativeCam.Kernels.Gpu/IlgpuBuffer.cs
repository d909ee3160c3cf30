using ILGPU;
using ILGPU.Runtime;

namespace NativeCam.Kernels.Gpu;

/// <summary>
/// A device-memory buffer of the ILGPU backend. Reference counted like every <see cref="IBuffer"/>: the device
/// memory is released when the last owner disposes it.
/// </summary>
public sealed class IlgpuBuffer<T> : IBuffer where T : unmanaged
{
    private int _owners = 1;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _memory;

    internal IlgpuBuffer(IlgpuKernels backend, long length)
    {
        Backend = backend;
        // ILGPU rejects zero-length allocations on some accelerators: keep one spare element, expose the length asked.
        _memory = backend.Accelerator.Allocate1D<T>(Math.Max(1, length));
        Length = length;
    }

    /// <summary>The elements as a device view of exactly <see cref="Length"/> elements.</summary>
    public ArrayView<T> View => ((ArrayView<T>)_memory.View).SubView(0, Length);

    /// <inheritdoc/>
    public DType DType => DTypeExtensions.Of<T>();

    /// <inheritdoc/>
    public long Length { get; }

    /// <inheritdoc/>
    public IKernels Backend { get; }

    /// <inheritdoc/>
    public IBuffer Retain()
    {
        if (Interlocked.Increment(ref _owners) <= 1) throw new ObjectDisposedException(nameof(IlgpuBuffer<T>), "buffer already released");
        return this;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Decrement(ref _owners) == 0) _memory.Dispose();
    }
}
