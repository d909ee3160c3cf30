namespace NativeCam.Kernels;

/// <summary>Told when the last owner of a buffer lets it go.</summary>
public interface IBufferListener
{
    /// <summary>The buffer made with <paramref name="token"/> has no owner left.</summary>
    void Released(int token);
}

/// <summary>
/// A backend whose buffers can be laid over memory blocks that a caller keeps between runs: a static memory plan
/// allocates its blocks once and hands them out again run after run, so a planned forward pass allocates no
/// activation memory. A block's contents are not cleared between uses (kernels write their outputs).
/// </summary>
public interface IReusableBuffers
{
    /// <summary>A block of <paramref name="length"/> elements of <paramref name="dtype"/>, uninitialised.</summary>
    object AllocateBlock(DType dtype, long length);

    /// <summary>
    /// A buffer over the first <paramref name="length"/> elements of <paramref name="block"/> (one owner; a block
    /// may host tensors of any size up to its own); <paramref name="listener"/> (optional) hears
    /// <paramref name="token"/> when its last owner lets go. The block stays the caller's: it may be wrapped again.
    /// </summary>
    IBuffer Wrap(object block, long length, IBufferListener? listener, int token);
}
