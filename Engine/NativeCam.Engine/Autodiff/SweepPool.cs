using NativeCam.Kernels;

namespace NativeCam.Engine.Autodiff;

/// <summary>
/// Memory of one backward sweep, current on its thread while the sweep runs: an op's output buffer
/// (<see cref="Tensor.Empty"/>) is laid over a released block of the same type and length where there is one, else over
/// a new block. The sweep disposes cotangents it no longer needs (<see cref="SweepReferences"/>); their blocks come back
/// to the pool. Inside a <see cref="TensorScope"/> that is the backend's shared <see cref="BlockPool"/> (the blocks stay
/// for the next sweep); outside, a private one closed when the sweep ends (free blocks go to the GC with it).
/// </summary>
internal sealed class SweepPool
{
    [ThreadStatic] private static SweepPool? _current;

    private readonly IKernels _backend;
    private readonly BlockPool _blocks;
    private readonly bool _private;
    private SweepPool? _outer;

    private SweepPool(IKernels backend, BlockPool blocks, bool isPrivate) => (_backend, _blocks, _private) = (backend, blocks, isPrivate);

    /// <summary>The pool current on this thread, if any.</summary>
    public static SweepPool? Current => _current;

    /// <summary>Blocks allocated fresh and blocks handed out again (for tests and diagnostics).</summary>
    public int Fresh { get; private set; }

    /// <inheritdoc cref="Fresh"/>
    public int Reused { get; private set; }

    /// <summary>Makes a pool for <paramref name="backend"/> current (null where the backend cannot reuse memory).</summary>
    public static SweepPool? Begin(IKernels backend)
    {
        bool isPrivate = TensorScope.Current is null;
        if ((isPrivate ? BlockPool.Private(backend) : BlockPool.For(backend)) is not { } blocks) return null;
        var pool = new SweepPool(backend, blocks, isPrivate) { _outer = _current };
        _current = pool;
        return pool;
    }

    /// <summary>Ends this pool (the one current).</summary>
    public void End()
    {
        if (!ReferenceEquals(_current, this)) throw new InvalidOperationException("sweep pools must end in the reverse order of their start");
        _current = _outer;
        if (_private) _blocks.Close(); // released after the sweep: the GC takes it
    }

    /// <summary>A buffer for an op's output, or null when the caller should allocate as usual.</summary>
    public IBuffer? Allocate(IKernels backend, DType dtype, long length)
    {
        if (!ReferenceEquals(backend, _backend)) return null;
        var buffer = _blocks.Allocate(dtype, length, out bool reused);
        if (reused) Reused++;
        else Fresh++;
        return buffer;
    }
}
