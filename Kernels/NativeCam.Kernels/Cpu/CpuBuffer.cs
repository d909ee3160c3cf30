namespace NativeCam.Kernels.Cpu;

/// <summary>A host-memory buffer of the CPU backend: a managed array (lengths up to 2³¹ − 1 elements).</summary>
public sealed class CpuBuffer<T> : IBuffer where T : unmanaged
{
    private readonly IBufferListener? _listener;
    private readonly int _token;
    private int _owners = 1;

    internal CpuBuffer(CpuKernels backend, int length) : this(backend, GC.AllocateUninitializedArray<T>(length), null, 0) { }

    /// <summary>A buffer over an existing array (a planned block), telling <paramref name="listener"/> when released.</summary>
    internal CpuBuffer(CpuKernels backend, T[] array, IBufferListener? listener, int token)
    {
        Backend = backend;
        Array = array;
        _listener = listener;
        _token = token;
    }

    /// <summary>The elements.</summary>
    public T[] Array { get; }

    /// <summary>Whether the elements never change again (see <see cref="MarkConstant"/>).</summary>
    public bool IsConstant { get; private set; }

    /// <summary>
    /// Declares that the elements never change again (a model's weights): kernels may then keep forms derived from
    /// them for as long as the array lives (Winograd-transformed convolution weights). Writing to the array afterwards
    /// breaks that promise and gives wrong results.
    /// </summary>
    public void MarkConstant() => IsConstant = true;

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
    public void Dispose() // managed memory: the GC reclaims it (a planned block goes back to its plan)
    {
        if (Interlocked.Decrement(ref _owners) == 0) _listener?.Released(_token);
    }
}
