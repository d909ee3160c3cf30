using NativeCam.Kernels;

namespace NativeCam.Importers.Tests.Support;

/// <summary>
/// A backend that forwards every call to <paramref name="inner"/> and counts the calls that touch data beyond
/// moving it in: everything but Allocate and Upload (Download, Fill, Cast and every kernel count).
/// </summary>
public sealed class CountingKernels(IKernels inner) : IKernels
{
    private long _calls;

    /// <summary>Calls other than Allocate and Upload so far.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Elements allocated so far.</summary>
    public long AllocatedElements { get; private set; }

    private void Count() => Interlocked.Increment(ref _calls);

    public string Name => "counting-" + inner.Name;
    public IBuffer Allocate(DType dtype, long length) { AllocatedElements += length; return inner.Allocate(dtype, length); }
    public void Upload<T>(ReadOnlySpan<T> source, IBuffer destination) where T : unmanaged => inner.Upload(source, destination);
    public void Download<T>(IBuffer source, Span<T> destination) where T : unmanaged { Count(); inner.Download(source, destination); }
    public void Fill(IBuffer buffer, double value) { Count(); inner.Fill(buffer, value); }
    public void Cast(IBuffer source, IBuffer destination) { Count(); inner.Cast(source, destination); }
    public void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0) { Count(); inner.Unary(kind, x, y, alpha, beta); }
    public void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y) { Count(); inner.Binary(kind, p, a, b, y); }
    public void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y) { Count(); inner.Where(p, cond, a, b, y); }
    public void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi, IBuffer? t2 = null, IBuffer? result2 = null) { Count(); inner.Gate(gate, t, result, lo, hi, t2, result2); }
    public void SiluDerivativePair(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy) { Count(); inner.SiluDerivativePair(order, x, a, dx, da, y, dy); }
    public void ProductWithTangent(BroadcastParams p, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy) { Count(); inner.ProductWithTangent(p, a, b, da, db, y, dy); }
    public void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null) { Count(); inner.Reduce(kind, shape, axes, x, y, argIndex); }
    public void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination) { Count(); inner.StridedCopy(p, source, destination); }
    public void GatherFlat(IBuffer x, IBuffer index, IBuffer y) { Count(); inner.GatherFlat(x, index, y); }
    public void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y) { Count(); inner.ScatterAddFlat(x, index, y); }
    public void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y) { Count(); inner.GatherAxis(p, x, index, y); }
    public void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y) { Count(); inner.ScatterAddAxis(p, x, index, y); }
    public void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c) { Count(); inner.Gemm(p, a, b, c); }
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y) { Count(); inner.Conv2d(p, x, w, bias, y); }
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y, IBuffer? residual) { Count(); inner.Conv2d(p, x, w, bias, y, residual); }
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx) { Count(); inner.Conv2dBackwardInput(p, dy, w, dx); }
    public void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw) { Count(); inner.Conv2dBackwardWeight(p, x, dy, dw); }
    public void MaxPool2d(in Pool2dParams p, IBuffer x, IBuffer y, IBuffer? argIndex) { Count(); inner.MaxPool2d(p, x, y, argIndex); }
    public void AvgPool2d(in Pool2dParams p, IBuffer x, IBuffer y) { Count(); inner.AvgPool2d(p, x, y); }
    public void AvgPool2dBackward(in Pool2dParams p, IBuffer dy, IBuffer dx) { Count(); inner.AvgPool2dBackward(p, dy, dx); }
    public void Softmax(AxisParams p, IBuffer x, IBuffer y) { Count(); inner.Softmax(p, x, y); }
    public void LogSoftmax(AxisParams p, IBuffer x, IBuffer y) { Count(); inner.LogSoftmax(p, x, y); }
    public void LogSumExp(AxisParams p, IBuffer x, IBuffer y) { Count(); inner.LogSumExp(p, x, y); }
    public void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y) { Count(); inner.ResizeBilinear(p, x, y); }
    public void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx) { Count(); inner.ResizeBilinearBackward(p, dy, dx); }
    public void Dispose() { }
}
