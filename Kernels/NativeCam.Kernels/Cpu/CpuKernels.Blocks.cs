namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels : IReusableBuffers
{
    /// <inheritdoc/>
    public object AllocateBlock(DType dtype, long length)
    {
        if (length < 0 || length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a CPU buffer holds 0..{Array.MaxLength} elements");
        int n = (int)length;
        return dtype switch
        {
            DType.Float32 => GC.AllocateUninitializedArray<float>(n),
            DType.Float64 => GC.AllocateUninitializedArray<double>(n),
            DType.Int32 => GC.AllocateUninitializedArray<int>(n),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }

    /// <inheritdoc/>
    public IBuffer Wrap(object block, long length, IBufferListener? listener, int token) => block switch
    {
        float[] f => new CpuBuffer<float>(this, f, ViewLength(f.Length, length), listener, token),
        double[] d => new CpuBuffer<double>(this, d, ViewLength(d.Length, length), listener, token),
        int[] i => new CpuBuffer<int>(this, i, ViewLength(i.Length, length), listener, token),
        _ => throw new ArgumentException($"not a CPU block: {block?.GetType().Name ?? "null"}", nameof(block)),
    };

    private static int ViewLength(int blockLength, long length) =>
        length >= 0 && length <= blockLength ? (int)length
            : throw new ArgumentOutOfRangeException(nameof(length), length, $"a buffer over a block of {blockLength} elements holds 0..{blockLength}");
}
