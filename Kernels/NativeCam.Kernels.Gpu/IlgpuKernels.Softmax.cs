using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    /// <remarks>An all −∞ row gives NaN.</remarks>
    public void Softmax(AxisParams p, IBuffer x, IBuffer y) => SoftmaxFamily(p, x, y, 0, "softmax");

    /// <inheritdoc/>
    /// <remarks>An all −∞ row gives −∞.</remarks>
    public void LogSoftmax(AxisParams p, IBuffer x, IBuffer y) => SoftmaxFamily(p, x, y, 1, "log-softmax");

    /// <inheritdoc/>
    /// <remarks>An all −∞ (or empty) row gives −∞.</remarks>
    public void LogSumExp(AxisParams p, IBuffer x, IBuffer y) => SoftmaxFamily(p, x, y, 2, "logsumexp");

    /// <summary>mode 0 softmax, 1 log-softmax, 2 logsumexp (see <see cref="SoftmaxKernels"/>).</summary>
    private void SoftmaxFamily(AxisParams p, IBuffer x, IBuffer y, int mode, string what)
    {
        if (p.Outer < 0 || p.Axis < 0 || p.Inner < 0) throw new ArgumentException($"{what}: invalid {p}");
        long xl = (long)p.Outer * p.Axis * p.Inner, yl = mode == 2 ? (long)p.Outer * p.Inner : xl;
        if (x.Length != xl) throw new ArgumentException($"{what}: input has {x.Length} elements, {p} needs {xl}");
        if (y.Length != yl) throw new ArgumentException($"{what}: output has {y.Length} elements, expected {yl}");
        var dtype = FloatType(x, y);
        StridedLayout.Narrow(Math.Max(xl, yl));
        if (yl == 0) return;
        if (dtype == DType.Float32) SoftmaxT<float, F32Ops>(p, View<float>(x), View<float>(y), mode);
        else SoftmaxT<double, F64Ops>(p, View<double>(x), View<double>(y), mode);
    }

    private void SoftmaxT<T, TOps>(AxisParams p, ArrayView<T> x, ArrayView<T> y, int mode)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        if (p.Inner == 1 && p.Axis >= GroupedReduceMin)
        {
            Kernel($"softmax-row-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, int>(
                SoftmaxKernels.PerRow<T, TOps>))(GroupPerItem(p.Outer), x, y, p.Outer, p.Axis, mode);
            return;
        }
        Kernel($"softmax-column-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, int, int>(
            SoftmaxKernels.PerColumn<T, TOps>))(Spread(p.Outer * p.Inner), x, y, p.Outer * p.Inner, p.Axis, p.Inner, mode);
    }
}
