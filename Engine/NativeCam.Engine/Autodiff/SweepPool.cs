using NativeCam.Kernels;

namespace NativeCam.Engine.Autodiff;

/// <summary>
/// Memory of one backward sweep, current on its thread while the sweep runs: an op's output buffer
/// (<see cref="Tensor.Empty"/>) is laid over a block of the sweep's released buffers of the same type and length where
/// there is one, else over a new block. The sweep disposes cotangents it no longer needs (<see cref="SweepReferences"/>);
/// their blocks come back here. Blocks still in use when the sweep ends stay with their buffers; free blocks are
/// left to the GC with the pool.
/// </summary>
internal sealed class SweepPool
{
    [ThreadStatic] private static SweepPool? _current;

    private readonly IReusableBuffers _blocks; // the backend itself
    private readonly Dictionary<(DType, long), Stack<object>> _free = [];
    private SweepPool? _outer;
    private bool _ended;

    private SweepPool(IReusableBuffers blocks) => _blocks = blocks;

    /// <summary>The pool current on this thread, if any.</summary>
    public static SweepPool? Current => _current;

    /// <summary>Blocks allocated fresh and blocks handed out again (for tests and diagnostics).</summary>
    public int Fresh { get; private set; }

    /// <inheritdoc cref="Fresh"/>
    public int Reused { get; private set; }

    /// <summary>Makes a pool for <paramref name="backend"/> current (null where the backend cannot reuse memory).</summary>
    public static SweepPool? Begin(IKernels backend)
    {
        if (backend is not IReusableBuffers blocks) return null;
        var pool = new SweepPool(blocks) { _outer = _current };
        _current = pool;
        return pool;
    }

    /// <summary>Ends this pool (the one current).</summary>
    public void End()
    {
        if (!ReferenceEquals(_current, this)) throw new InvalidOperationException("sweep pools must end in the reverse order of their start");
        _current = _outer;
        _ended = true;
        _free.Clear();
    }

    /// <summary>A buffer for an op's output, or null when the caller should allocate as usual.</summary>
    public IBuffer? Allocate(IKernels backend, DType dtype, long length)
    {
        if (!ReferenceEquals(backend, _blocks)) return null;
        if (TensorScope.Current is not null && BlockPool.For(backend) is { } shared)
        {
            // inside a scope the backend's pool is the free list: released cotangents go back there and stay for the next sweep
            var buffer = shared.Allocate(dtype, length, out bool fromPool);
            if (fromPool) Reused++;
            else Fresh++;
            return buffer;
        }
        object block;
        if (_free.TryGetValue((dtype, length), out var free) && free.TryPop(out var reused))
        {
            block = reused;
            Reused++;
        }
        else
        {
            block = _blocks.AllocateBlock(dtype, length);
            Fresh++;
        }
        // the pool keeps free blocks only: a block in use is held by its buffer alone
        return _blocks.Wrap(block, length, new Return(this, block, dtype, length), 0);
    }

    private void Give(object block, DType dtype, long length)
    {
        if (_ended) return; // released after the sweep: the GC takes it
        if (!_free.TryGetValue((dtype, length), out var free)) _free[(dtype, length)] = free = new Stack<object>();
        free.Push(block);
    }

    /// <summary>Gives a block back to its pool when its buffer's last owner lets go.</summary>
    private sealed class Return(SweepPool pool, object block, DType dtype, long length) : IBufferListener
    {
        public void Released(int token) => pool.Give(block, dtype, length);
    }
}
