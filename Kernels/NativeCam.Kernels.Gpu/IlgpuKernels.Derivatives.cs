using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Gate(IBuffer gate, IBuffer t, IBuffer result, double lo, double hi, IBuffer? t2 = null, IBuffer? result2 = null)
    {
        var dtype = KernelChecks.Gate(gate, t, result, lo, hi, t2, result2);
        int n = StridedLayout.Narrow(t.Length);
        if (n == 0) return;
        if (dtype == DType.Float32) GateT<float, F32Ops>(gate, t, result, t2, result2, n, (float)lo, (float)hi, double.IsPositiveInfinity(hi));
        else GateT<double, F64Ops>(gate, t, result, t2, result2, n, lo, hi, double.IsPositiveInfinity(hi));
    }

    private void GateT<T, TOps>(IBuffer gate, IBuffer t, IBuffer result, IBuffer? t2, IBuffer? result2, int n, T lo, T hi, bool unbounded)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        ArrayView<T> vt = View<T>(t), vr = View<T>(result); // without a second operand its views are the first's, never touched
        Kernel($"gate-{typeof(T).Name}", acc => acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>,
            int, T, T, int, int>(DerivativeKernels.Gate<T, TOps>))(Spread(n), View<T>(gate), vt, vr,
            t2 is null ? vt : View<T>(t2), result2 is null ? vr : View<T>(result2), n, lo, hi, unbounded ? 0 : 1, t2 is null ? 0 : 1);
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

    /// <inheritdoc/>
    public void ProductWithTangent(BroadcastParams p, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy)
    {
        var dtype = KernelChecks.ProductWithTangent(p, a, b, da, db, y, dy);
        CheckReach(p.OutShape, p.StridesA, a.Length, "a");
        CheckReach(p.OutShape, p.StridesB, b.Length, "b");
        if (y.Length == 0) return;
        var (n, s) = StridedLayout.Collapse(p.OutShape, Long(p.StridesA), Long(p.StridesB));
        var layout = new StridedLayout(n, s[0], s[1]);
        int len = StridedLayout.Narrow(y.Length), has = (da is null ? 0 : 1) | (db is null ? 0 : 2);
        if (dtype == DType.Float32) ProductT<float, F32Ops>(layout, len, a, b, da, db, y, dy, has);
        else ProductT<double, F64Ops>(layout, len, a, b, da, db, y, dy, has);
    }

    private void ProductT<T, TOps>(StridedLayout l, int n, IBuffer a, IBuffer b, IBuffer? da, IBuffer? db, IBuffer y, IBuffer dy, int has)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        ArrayView<T> va = View<T>(a), vb = View<T>(b); // an absent tangent passes its primal's view: never read
        Kernel($"product-tangent-{typeof(T).Name}", acc => acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>,
            ArrayView<T>, ArrayView<T>, int, StridedLayout, int>(DerivativeKernels.ProductWithTangent<T, TOps>))(Spread(n), va, vb,
            da is null ? va : View<T>(da), db is null ? vb : View<T>(db), View<T>(y), View<T>(dy), n, l, has);
    }
}
