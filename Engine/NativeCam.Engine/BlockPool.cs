using System.Runtime.CompilerServices;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Engine;

/// <summary>
/// Free memory blocks of one backend: a block comes back here when the last owner of the buffer laid over it lets go,
/// and the next request for the same dtype and length takes the block released last (warm in cache, its pages already
/// mapped) instead of fresh memory. Each backend has one shared pool, kept between runs for tensors made inside a
/// <see cref="TensorScope"/> (at most <see cref="TensorScope.PoolCapacityBytes"/> of free blocks); a backward sweep
/// outside any scope uses a private one for its own duration (<see cref="Private"/>, <see cref="Close"/>). A pool holds
/// free blocks only; a block in use is held by its buffer alone. Thread-safe.
/// </summary>
internal sealed class BlockPool
{
    private static readonly ConditionalWeakTable<IReusableBuffers, BlockPool> Pools = [];

    private readonly IReusableBuffers _blocks;
    private readonly Dictionary<(DType, long), Stack<object>> _free = [];
    private readonly Lock _lock = new();
    private readonly bool _shared;
    private long _freeBytes;
    private bool _closed;

    private BlockPool(IReusableBuffers blocks, bool shared) => (_blocks, _shared) = (blocks, shared);

    /// <summary>The pool of <paramref name="backend"/>, or null where its buffers cannot be laid over kept blocks.</summary>
    public static BlockPool? For(IKernels backend) =>
        backend is IReusableBuffers blocks ? Pools.GetValue(blocks, static b => new BlockPool(b, shared: true)) : null;

    /// <summary>A pool of <paramref name="backend"/> for one user alone, without a cap until <see cref="Close"/>; null
    /// where the backend's buffers cannot be laid over kept blocks.</summary>
    public static BlockPool? Private(IKernels backend) =>
        backend is IReusableBuffers blocks ? new BlockPool(blocks, shared: false) : null;

    /// <summary>Bytes held in free blocks.</summary>
    public long FreeBytes
    {
        get { lock (_lock) return _freeBytes; }
    }

    /// <summary>A buffer of <paramref name="length"/> elements over a free block if there is one (<paramref name="reused"/>),
    /// else over a new block; its block comes back here when the buffer's last owner lets go.</summary>
    public IBuffer Allocate(DType dtype, long length, out bool reused)
    {
        object? block = null;
        lock (_lock)
        {
            if (_free.TryGetValue((dtype, length), out var free) && free.TryPop(out block))
                _freeBytes -= Bytes(dtype, length);
        }
        reused = block is not null;
        block ??= _blocks.AllocateBlock(dtype, length);
        var giveBack = new GiveBack(this, block, dtype, length);
        var buffer = _blocks.Wrap(block, length, giveBack, 0);
        giveBack.Buffer = buffer;
        return buffer;
    }

    /// <summary>Lets every free block go to the garbage collector, and every block released from now on.</summary>
    public void Close()
    {
        lock (_lock) _closed = true;
        Trim();
    }

    /// <summary>Lets every free block go to the garbage collector.</summary>
    public void Trim()
    {
        lock (_lock)
        {
            _free.Clear();
            _freeBytes = 0;
        }
    }

    private void Give(object block, DType dtype, long length)
    {
        long bytes = Bytes(dtype, length);
        lock (_lock)
        {
            // closed, or a shared pool over its cap: the GC takes it
            if (_closed || (_shared && _freeBytes + bytes > TensorScope.PoolCapacityBytes)) return;
            if (!_free.TryGetValue((dtype, length), out var free)) _free[(dtype, length)] = free = new Stack<object>();
            free.Push(block);
            _freeBytes += bytes;
        }
    }

    private static long Bytes(DType dtype, long length) => length * dtype.SizeInBytes();

    /// <summary>Gives a block back when its buffer's last owner lets go, unless the buffer was declared constant
    /// (kernels may key derived forms of a constant on its array, so that array must never hold other values).</summary>
    private sealed class GiveBack(BlockPool pool, object block, DType dtype, long length) : IBufferListener
    {
        public IBuffer? Buffer { get; set; }

        public void Released(int token)
        {
            if (Buffer is CpuBuffer<float> { IsConstant: true } or CpuBuffer<double> { IsConstant: true }) return;
            pool.Give(block, dtype, length);
        }
    }
}
