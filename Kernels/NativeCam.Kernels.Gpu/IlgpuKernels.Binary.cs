using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y)
    {
        if (y.Length != p.OutLength) throw new ArgumentException($"binary {kind}: output has {y.Length} elements, shape {Shapes.Format(p.OutShape)} needs {p.OutLength}");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown binary kind");
        var dtype = FloatType(a, b, y);
        CheckReach(p.OutShape, p.StridesA, a.Length, "a");
        CheckReach(p.OutShape, p.StridesB, b.Length, "b");
        if (y.Length == 0) return;
        var (n, s) = StridedLayout.Collapse(p.OutShape, Long(p.StridesA), Long(p.StridesB));
        var layout = new StridedLayout(n, s[0], s[1]);
        int len = StridedLayout.Narrow(y.Length);
        if (dtype == DType.Float32) BinaryT<float, F32Ops>(kind, layout, len, View<float>(a), View<float>(b), View<float>(y));
        else BinaryT<double, F64Ops>(kind, layout, len, View<double>(a), View<double>(b), View<double>(y));
    }

    private void BinaryT<T, TOps>(BinaryKind kind, StridedLayout l, int n, ArrayView<T> a, ArrayView<T> b, ArrayView<T> y)
        where T : unmanaged where TOps : struct, IFloatOps<T> =>
        Kernel($"binary-{typeof(T).Name}", acc => acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, int, StridedLayout, int>(
            BroadcastKernels.Binary<T, TOps>))(Spread(n), a, b, y, n, l, (int)kind);

    /// <inheritdoc/>
    public void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y)
    {
        if (p.StridesC is null) throw new ArgumentException("where needs three stride sets");
        if (y.Length != p.OutLength) throw new ArgumentException($"where: output has {y.Length} elements, shape {Shapes.Format(p.OutShape)} needs {p.OutLength}");
        var dtype = FloatType(cond, a, b, y);
        CheckReach(p.OutShape, p.StridesA, cond.Length, "cond");
        CheckReach(p.OutShape, p.StridesB, a.Length, "a");
        CheckReach(p.OutShape, p.StridesC, b.Length, "b");
        if (y.Length == 0) return;
        var (n, s) = StridedLayout.Collapse(p.OutShape, Long(p.StridesA), Long(p.StridesB), Long(p.StridesC));
        var layout = new StridedLayout(n, s[0], s[1], s[2]);
        int len = StridedLayout.Narrow(y.Length);
        if (dtype == DType.Float32) WhereT<float, F32Ops>(layout, len, View<float>(cond), View<float>(a), View<float>(b), View<float>(y));
        else WhereT<double, F64Ops>(layout, len, View<double>(cond), View<double>(a), View<double>(b), View<double>(y));
    }

    private void WhereT<T, TOps>(StridedLayout l, int n, ArrayView<T> c, ArrayView<T> a, ArrayView<T> b, ArrayView<T> y)
        where T : unmanaged where TOps : struct, IFloatOps<T> =>
        Kernel($"where-{typeof(T).Name}", acc => acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, int, StridedLayout>(
            BroadcastKernels.Where<T, TOps>))(Spread(n), c, a, b, y, n, l);

    private static long[] Long(int[] v) => Array.ConvertAll(v, x => (long)x);

    /// <summary>Throws unless every offset Σ i·stride over the shape lies in [offset, length).</summary>
    private static void CheckReach(int[] shape, int[] strides, long length, string name) =>
        CheckReach(shape, Long(strides), 0, length, $"operand {name}");

    private static void CheckReach(int[] shape, long[] strides, long offset, long length, string what)
    {
        if (strides.Length != shape.Length) throw new ArgumentException($"{what}: {strides.Length} strides for a rank-{shape.Length} shape");
        if (Shapes.Product(shape) == 0) return;
        long lo = offset, hi = offset;
        for (int d = 0; d < shape.Length; d++)
        {
            long span = (shape[d] - 1) * strides[d];
            if (span < 0) lo += span; else hi += span;
        }
        if (lo < 0 || hi >= length) throw new ArgumentException($"{what} ({length} elements) is indexed over [{lo}, {hi}] by its strides");
    }
}
