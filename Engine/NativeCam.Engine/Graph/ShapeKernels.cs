using NativeCam.Kernels;

namespace NativeCam.Engine.Graph;

/// <summary>
/// A backend that keeps shapes and nothing else: its buffers hold no elements and its kernels compute nothing.
/// Every Engine op derives its output shape from its input shapes before it calls a kernel, so running a graph's
/// nodes on tensors of this backend is shape inference: each tensor's shape, no arithmetic and no activation memory.
/// The argument checks shared with the real backends (<see cref="KernelChecks"/>) still run, so a node that would
/// fail at run time for its shapes fails here too. Reading data back gives zeros.
/// </summary>
public sealed class ShapeKernels : IKernels
{
    /// <summary>The one instance.</summary>
    public static ShapeKernels Instance { get; } = new();

    private ShapeKernels() { }

    /// <inheritdoc/>
    public string Name => "shapes-only";

    /// <inheritdoc/>
    public IBuffer Allocate(DType dtype, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!Enum.IsDefined(dtype)) throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");
        return new ShapeBuffer(this, dtype, length);
    }

    /// <inheritdoc/>
    public void Upload<T>(ReadOnlySpan<T> source, IBuffer destination) where T : unmanaged
    {
        if (source.Length != destination.Length) throw new ArgumentException($"upload of {source.Length} elements into a buffer of {destination.Length}");
    }

    /// <inheritdoc/>
    public void Download<T>(IBuffer source, Span<T> destination) where T : unmanaged
    {
        if (destination.Length != source.Length) throw new ArgumentException($"download of {source.Length} elements into a span of {destination.Length}");
        destination.Clear();
    }

    /// <inheritdoc/>
    public void Fill(IBuffer buffer, double value) { }

    /// <inheritdoc/>
    public void Cast(IBuffer source, IBuffer destination)
    {
        if (source.Length != destination.Length) throw new ArgumentException("cast between buffers of different lengths");
    }

    /// <inheritdoc/>
    public void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0) => KernelChecks.FloatType(x, y);

    /// <inheritdoc/>
    public void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y) => KernelChecks.FloatType(a, b, y);

    /// <inheritdoc/>
    public void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y) => KernelChecks.FloatType(cond, a, b, y);

    /// <inheritdoc/>
    public void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi, IBuffer? t2 = null, IBuffer? result2 = null) =>
        KernelChecks.Gate(gate, t, result, lo, hi, t2, result2);

    /// <inheritdoc/>
    public void SiluDerivativePair(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy) =>
        KernelChecks.SiluDerivativePair(order, x, a, dx, da, y, dy);

    /// <inheritdoc/>
    public void ProductWithTangent(BroadcastParams p, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy) =>
        KernelChecks.ProductWithTangent(p, a, b, da, db, y, dy);

    /// <inheritdoc/>
    public void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null) =>
        KernelChecks.Reduce(kind, shape, axes, x, argIndex);

    /// <inheritdoc/>
    public void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination) { }

    /// <inheritdoc/>
    public void GatherFlat(IBuffer x, IBuffer index, IBuffer y) { }

    /// <inheritdoc/>
    public void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y) { }

    /// <inheritdoc/>
    public void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y) { }

    /// <inheritdoc/>
    public void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y) { }

    /// <inheritdoc/>
    public void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c)
    {
        KernelChecks.FloatType(a, b, c);
        KernelChecks.Gemm(p, a.Length, b.Length, c.Length);
    }

    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y) => Conv2d(p, x, w, bias, y, null);

    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y, IBuffer? residual)
    {
        KernelChecks.FloatType(x, w, bias, y, residual);
        KernelChecks.Residual(residual, y, y.Length);
        KernelChecks.Conv2d(p);
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx) => KernelChecks.Conv2d(p);

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw) => KernelChecks.Conv2d(p);

    /// <inheritdoc/>
    public void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex) => KernelChecks.Pool2d(p, x, y, "maxpool2d");

    /// <inheritdoc/>
    public void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y) => KernelChecks.Pool2d(p, x, y, "avgpool2d");

    /// <inheritdoc/>
    public void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx) => KernelChecks.Pool2d(p, dx, dy, "avgpool2d backward");

    /// <inheritdoc/>
    public void Softmax(AxisParams p, IBuffer x, IBuffer y) => KernelChecks.FloatType(x, y);

    /// <inheritdoc/>
    public void LogSoftmax(AxisParams p, IBuffer x, IBuffer y) => KernelChecks.FloatType(x, y);

    /// <inheritdoc/>
    public void LogSumExp(AxisParams p, IBuffer x, IBuffer y) => KernelChecks.FloatType(x, y);

    /// <inheritdoc/>
    public void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y) => KernelChecks.FloatType(x, y);

    /// <inheritdoc/>
    public void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx) => KernelChecks.FloatType(dy, dx);

    /// <inheritdoc/>
    public void Dispose() { }

    /// <summary>A buffer with a length and no elements.</summary>
    private sealed class ShapeBuffer(ShapeKernels backend, DType dtype, long length) : IBuffer
    {
        public DType DType { get; } = dtype;

        public long Length { get; } = length;

        public IKernels Backend { get; } = backend;

        public IBuffer Retain() => this;

        public void Dispose() { }
    }
}
