using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi)
    {
        var dtype = KernelChecks.Gate(gate, t, result, lo, hi);
        int n = StridedLayout.Narrow(t.Length), bounded = double.IsPositiveInfinity(hi) ? 0 : 1;
        if (n == 0) return;
        if (dtype == DType.Float32)
            Kernel("gate-Single", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, float, int>(
                DerivativeKernels.Gate<float, F32Ops>))(Spread(n), View<float>(gate), View<float>(t), View<float>(result), n, (float)lo, (float)hi, bounded);
        else
            Kernel("gate-Double", acc => acc.LoadStreamKernel<ArrayView<double>, ArrayView<double>, ArrayView<double>, int, double, double, int>(
                DerivativeKernels.Gate<double, F64Ops>))(Spread(n), View<double>(gate), View<double>(t), View<double>(result), n, lo, hi, bounded);
    }

    /// <inheritdoc/>
    public void SiluDerivativePair(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy)
    {
        var dtype = KernelChecks.SiluDerivativePair(order, x, a, dx, da, y, dy);
        int n = StridedLayout.Narrow(x.Length), has = (dx is null ? 0 : 1) | (da is null ? 0 : 2);
        if (n == 0) return;
        if (dtype == DType.Float32) SiluPairT<float, F32Ops>(order, x, a, dx, da, y, dy, n, has);
        else SiluPairT<double, F64Ops>(order, x, a, dx, da, y, dy, n, has);
    }

    private void SiluPairT<T, TOps>(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy, int n, int has)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var vx = View<T>(x); // absent operands pass x's view: the kernel never reads them
        Kernel($"silu-pair-{typeof(T).Name}", acc => acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>,
            ArrayView<T>, ArrayView<T>, int, int, int>(DerivativeKernels.SiluPair<T, TOps>))(Spread(n), vx,
            a is null ? vx : View<T>(a), dx is null ? vx : View<T>(dx), da is null ? vx : View<T>(da), View<T>(y), View<T>(dy), n, order, has);
    }
}
