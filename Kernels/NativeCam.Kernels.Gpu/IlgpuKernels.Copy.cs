using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    /// <remarks>Where a destination stride is 0 several elements land on one place; as in the CPU's sequential copy the
    /// last one (in row-major order) is kept, here by copying only that one.</remarks>
    public void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination)
    {
        if (source.DType != destination.DType) throw new ArgumentException($"strided copy {source.DType} → {destination.DType}");
        int rank = p.Shape.Length;
        if (p.SrcStrides.Length != rank || p.DstStrides.Length != rank) throw new ArgumentException($"strided copy: shape {Shapes.Format(p.Shape)} with {p.SrcStrides.Length} source and {p.DstStrides.Length} destination strides");
        if (Shapes.Product(p.Shape) == 0) return;
        var (slo, shi) = Reach(p.Shape, p.SrcStrides, p.SrcOffset);
        var (dlo, dhi) = Reach(p.Shape, p.DstStrides, p.DstOffset);
        if (slo < 0 || shi >= source.Length) throw new ArgumentOutOfRangeException(nameof(p), $"strided copy reads source [{slo}, {shi}] of {source.Length} elements");
        if (dlo < 0 || dhi >= destination.Length) throw new ArgumentOutOfRangeException(nameof(p), $"strided copy writes destination [{dlo}, {dhi}] of {destination.Length} elements");
        var shape = (int[])p.Shape.Clone();
        long srcOffset = p.SrcOffset;
        for (int d = 0; d < rank; d++)
            if (p.DstStrides[d] == 0 && shape[d] > 1) { srcOffset += (shape[d] - 1) * p.SrcStrides[d]; shape[d] = 1; }
        var (n, s) = StridedLayout.Collapse(shape, p.SrcStrides, p.DstStrides);
        var c = new CopyPlan(new StridedLayout(n, s[0], s[1]), StridedLayout.Narrow(Shapes.Product(shape)),
            StridedLayout.Narrow(srcOffset), StridedLayout.Narrow(p.DstOffset));
        switch (source.DType)
        {
            case DType.Float32: StridedCopyT(c, View<float>(source), View<float>(destination)); break;
            case DType.Float64: StridedCopyT(c, View<double>(source), View<double>(destination)); break;
            default: StridedCopyT(c, View<int>(source), View<int>(destination)); break;
        }
    }

    private readonly record struct CopyPlan(StridedLayout Layout, int Length, int SrcOffset, int DstOffset);

    private void StridedCopyT<T>(CopyPlan c, ArrayView<T> src, ArrayView<T> dst) where T : unmanaged =>
        Kernel($"strided-copy-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, StridedLayout, int, int>(
            CopyKernels.Strided))(Spread(c.Length), src, dst, c.Length, c.Layout, c.SrcOffset, c.DstOffset);

    /// <summary>The lowest and highest offset offset + Σ i·stride over a non-empty shape.</summary>
    private static (long Lo, long Hi) Reach(int[] shape, long[] strides, long offset)
    {
        long lo = offset, hi = offset;
        for (int d = 0; d < shape.Length; d++)
        {
            long span = (shape[d] - 1) * strides[d];
            if (span < 0) lo += span; else hi += span;
        }
        return (lo, hi);
    }

    /// <summary>
    /// Throws naming the first index outside [0, bound). The check runs on the device; only its verdict (one int,
    /// and the offending value) comes back, which costs one synchronisation per call but keeps bad indices from
    /// ever reaching a device memory access.
    /// </summary>
    private void CheckIndices(ArrayView<int> index, long bound, string what)
    {
        if (index.Length == 0) return;
        using var first = Accelerator.Allocate1D<int>(1);
        first.View.CopyFromCPU(new[] { int.MaxValue });
        TransferObserver?.Invoke(true, sizeof(int));
        int n = (int)index.Length;
        Kernel("first-bad-index", a => a.LoadStreamKernel<ArrayView<int>, int, int, ArrayView<int>>(CopyKernels.FirstBadIndex))
            (Spread(n), index, n, (int)Math.Min(bound, int.MaxValue), first.View);
        var at = new int[1];
        first.View.CopyToCPU(at);
        TransferObserver?.Invoke(false, sizeof(int));
        if (at[0] == int.MaxValue) return;
        var value = new int[1];
        index.SubView(at[0], 1).CopyToCPU(value);
        throw new ArgumentOutOfRangeException("index", value[0], $"{what}: index[{at[0]}] = {value[0]} is outside [0, {bound})");
    }

    /// <inheritdoc/>
    public void GatherFlat(IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = View<int>(index);
        if (idx.Length != y.Length) throw new ArgumentException("gather: index and output lengths differ");
        var dtype = FloatType(x, y);
        StridedLayout.Narrow(y.Length);
        CheckIndices(idx, x.Length, "gather");
        if (idx.Length == 0) return;
        if (dtype == DType.Float32) GatherFlatT(View<float>(x), idx, View<float>(y));
        else GatherFlatT(View<double>(x), idx, View<double>(y));
    }

    private void GatherFlatT<T>(ArrayView<T> x, ArrayView<int> idx, ArrayView<T> y) where T : unmanaged =>
        Kernel($"gather-flat-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, int>(
            CopyKernels.GatherFlat))(Spread((int)idx.Length), x, idx, y, (int)idx.Length);

    /// <inheritdoc/>
    /// <remarks>Duplicates are combined with atomic adds: their summation order (and so the last bits of a float
    /// result) depends on scheduling.</remarks>
    public void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = View<int>(index);
        if (idx.Length != x.Length) throw new ArgumentException("scatter: index and source lengths differ");
        var dtype = FloatType(x, y);
        StridedLayout.Narrow(x.Length);
        CheckIndices(idx, y.Length, "scatter");
        if (idx.Length == 0) return;
        int n = (int)idx.Length;
        if (dtype == DType.Float32)
            Kernel("scatter-flat-Single", a => a.LoadStreamKernel<ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(
                CopyKernels.ScatterAddFlatF32))(Spread(n), View<float>(x), idx, View<float>(y), n);
        else
            Kernel("scatter-flat-Double", a => a.LoadStreamKernel<ArrayView<double>, ArrayView<int>, ArrayView<double>, int>(
                CopyKernels.ScatterAddFlatF64))(Spread(n), View<double>(x), idx, View<double>(y), n);
    }

    /// <inheritdoc/>
    public void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = View<int>(index);
        if (idx.Length != p.Count) throw new ArgumentException("gather: index length differs from Count");
        CheckGather(p, x.Length, y.Length, "gather");
        var dtype = FloatType(x, y);
        CheckIndices(idx, p.Axis, "gather");
        if (y.Length == 0) return;
        int n = StridedLayout.Narrow(y.Length);
        StridedLayout.Narrow(x.Length);
        if (dtype == DType.Float32) GatherAxisT(p, n, View<float>(x), idx, View<float>(y));
        else GatherAxisT(p, n, View<double>(x), idx, View<double>(y));
    }

    private void GatherAxisT<T>(GatherParams p, int n, ArrayView<T> big, ArrayView<int> idx, ArrayView<T> small) where T : unmanaged =>
        Kernel($"gather-axis-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, int, int, int, int>(
            CopyKernels.GatherAxis))(Spread(n), big, idx, small, n, p.Axis, p.Count, p.Inner);

    /// <inheritdoc/>
    public void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = View<int>(index);
        if (idx.Length != p.Count) throw new ArgumentException("scatter: index length differs from Count");
        CheckGather(p, y.Length, x.Length, "scatter");
        var dtype = FloatType(x, y);
        CheckIndices(idx, p.Axis, "scatter");
        if (x.Length == 0) return;
        int columns = StridedLayout.Narrow((long)p.Outer * p.Inner);
        StridedLayout.Narrow(y.Length);
        if (dtype == DType.Float32) ScatterAddAxisT<float, F32Ops>(p, columns, View<float>(x), idx, View<float>(y));
        else ScatterAddAxisT<double, F64Ops>(p, columns, View<double>(x), idx, View<double>(y));
    }

    private void ScatterAddAxisT<T, TOps>(GatherParams p, int columns, ArrayView<T> small, ArrayView<int> idx, ArrayView<T> big)
        where T : unmanaged where TOps : struct, IFloatOps<T> =>
        Kernel($"scatter-axis-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, int, int, int, int>(
            CopyKernels.ScatterAddAxis<T, TOps>))(Spread(columns), small, idx, big, columns, p.Axis, p.Count, p.Inner);

    private static void CheckGather(GatherParams p, long big, long small, string what)
    {
        if (p.Outer < 0 || p.Axis < 0 || p.Inner < 0 || p.Count < 0) throw new ArgumentException($"{what}: negative extent in {p}");
        if ((long)p.Outer * p.Axis * p.Inner != big) throw new ArgumentException($"{what}: [Outer, Axis, Inner] = {p.Outer * (long)p.Axis * p.Inner} elements, buffer has {big}");
        if ((long)p.Outer * p.Count * p.Inner != small) throw new ArgumentException($"{what}: [Outer, Count, Inner] = {p.Outer * (long)p.Count * p.Inner} elements, buffer has {small}");
    }
}
