namespace NativeCam.Kernels.Cpu;

/// <summary>A host-memory buffer of the CPU backend: a managed array (lengths up to 2³¹ − 1 elements).</summary>
public sealed class CpuBuffer<T> : IBuffer where T : unmanaged
{
    private readonly IBufferListener? _listener;
    private readonly int _token;
    private int _owners = 1;

    internal CpuBuffer(CpuKernels backend, int length) : this(backend, GC.AllocateUninitializedArray<T>(length), length, null, 0) { }

    /// <summary>
    /// A buffer over the first <paramref name="length"/> elements of an existing array (a planned block, which may be
    /// longer: a memory plan reuses one block for tensors of different sizes), telling <paramref name="listener"/>
    /// when released.
    /// </summary>
    internal CpuBuffer(CpuKernels backend, T[] array, int length, IBufferListener? listener, int token)
    {
        if ((uint)length > (uint)array.Length) throw new ArgumentOutOfRangeException(nameof(length), length, $"a view of at most {array.Length} elements");
        Backend = backend;
        Array = array;
        Length = length;
        _listener = listener;
        _token = token;
    }

    /// <summary>The backing array: the buffer is its first <see cref="Length"/> elements (kernels index from 0 and
    /// take every length from <see cref="Length"/> or their parameters, never from the array).</summary>
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
    public Span<T> Span => Array.AsSpan(0, (int)Length);

    /// <inheritdoc/>
    public DType DType => DTypeExtensions.Of<T>();

    /// <inheritdoc/>
    public long Length { get; }

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
