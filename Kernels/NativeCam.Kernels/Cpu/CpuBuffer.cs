namespace NativeCam.Kernels.Cpu;

/// <summary>A host-memory buffer of the CPU backend: a managed array (lengths up to 2³¹ − 1 elements).</summary>
public sealed class CpuBuffer<T> : IBuffer where T : unmanaged
{
    private int _owners = 1;

    internal CpuBuffer(CpuKernels backend, int length)
    {
        Backend = backend;
        Array = GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>The elements.</summary>
    public T[] Array { get; }

    /// <summary>The elements as a span.</summary>
    public Span<T> Span => Array;

    /// <inheritdoc/>
    public DType DType => DTypeExtensions.Of<T>();

    /// <inheritdoc/>
    public long Length => Array.Length;

    /// <inheritdoc/>
    public IKernels Backend { get; }

    /// <inheritdoc/>
    public IBuffer Retain()
    {
        Interlocked.Increment(ref _owners);
        return this;
    }

    /// <inheritdoc/>
    public void Dispose() => Interlocked.Decrement(ref _owners); // managed memory: the GC reclaims it
}
