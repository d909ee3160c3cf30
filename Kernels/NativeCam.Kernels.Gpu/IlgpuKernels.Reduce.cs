using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <summary>Reductions at least this long run one thread group per output, shorter ones one thread.</summary>
    private const int GroupedReduceMin = 256;

    /// <summary>Least elements per chunk when a few long reductions are split over several groups.</summary>
    private const int ChunkMin = 4096;

    /// <inheritdoc/>
    public void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null)
    {
        KernelChecks.Reduce(kind, shape, axes, x, argIndex);
        long inLen = Shapes.Product(shape);
        var dtype = FloatType(x, y);
        StridedLayout.Narrow(inLen);

        var strides = Shapes.Strides(shape);
        var kept = Enumerable.Range(0, shape.Length).Where(d => Array.IndexOf(axes, d) < 0).ToArray();
        int[] keptShape = kept.Select(d => shape[d]).ToArray(), redShape = axes.Select(d => shape[d]).ToArray();
        long outLen = Shapes.Product(keptShape), redLen = Shapes.Product(redShape);
        if (y.Length != outLen) throw new ArgumentException($"reduce output has {y.Length} elements, expected {outLen}");
        if (argIndex is not null && argIndex.Length != outLen) throw new ArgumentException("argIndex length differs from the output");
        var arg = argIndex is null ? ArrayView<int>.Empty : View<int>(argIndex);
        if (outLen == 0) return;
        if (redLen == 0)
        {
            if (argIndex is not null) throw new ArgumentException($"arg-reduce over an empty axis of shape {Shapes.Format(shape)}");
            Fill(y, kind switch { ReduceKind.Sum => 0, ReduceKind.Max => double.NegativeInfinity, _ => double.PositiveInfinity });
            return;
        }
        var (kn, ks) = StridedLayout.Collapse(keptShape, kept.Select(d => (long)strides[d]).ToArray());
        var (rn, rs) = StridedLayout.Collapse(redShape, axes.Select(d => (long)strides[d]).ToArray());
        var plan = new ReducePlan(new StridedLayout(kn, ks[0]), new StridedLayout(rn, rs[0]), (int)outLen, (int)redLen, (int)kind, argIndex is null ? 0 : 1);
        if (dtype == DType.Float32) ReduceT<float, F32Ops>(plan, View<float>(x), View<float>(y), arg);
        else ReduceT<double, F64Ops>(plan, View<double>(x), View<double>(y), arg);
    }

    private readonly record struct ReducePlan(StridedLayout Kept, StridedLayout Red, int OutLen, int RedLen, int Kind, int WantArg);

    private void ReduceT<T, TOps>(ReducePlan p, ArrayView<T> x, ArrayView<T> y, ArrayView<int> arg)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        if (p.RedLen >= GroupedReduceMin)
        {
            var grouped = Kernel($"reduce-group-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<int>,
                StridedLayout, StridedLayout, int, int, int, int, int, int>(ReduceKernels.PerGroup<T, TOps>));
            // too few outputs to fill the device: split each reduction into chunks of at least ChunkMin elements
            int groups = GroupPerItem(int.MaxValue).GridDim.X;
            int chunks = (int)Math.Min(Math.Max(1, groups / p.OutLen), (p.RedLen + (long)ChunkMin - 1) / ChunkMin);
            if (chunks <= 1)
            {
                grouped(GroupPerItem(p.OutLen), x, y, arg, p.Kept, p.Red, p.OutLen, 1, p.RedLen, p.RedLen, p.Kind, p.WantArg);
                return;
            }
            int per = (p.RedLen + chunks - 1) / chunks, items = p.OutLen * chunks;
            using var partial = Accelerator.Allocate1D<T>(items);
            using var partialArg = Accelerator.Allocate1D<int>(items);
            grouped(GroupPerItem(items), x, partial.View, partialArg.View, p.Kept, p.Red, items, chunks, per, p.RedLen, p.Kind, 1);
            Kernel($"reduce-combine-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<int>, ArrayView<T>, ArrayView<int>, int, int, int, int>(
                ReduceKernels.Combine<T, TOps>))(Spread(p.OutLen), partial.View, partialArg.View, y, arg, p.OutLen, chunks, p.Kind, p.WantArg);
            Accelerator.Synchronize(); // the partials are released on return
            return;
        }
        Kernel($"reduce-thread-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, ArrayView<int>, StridedLayout, StridedLayout, int, int, int, int>(
            ReduceKernels.PerThread<T, TOps>))(Spread(p.OutLen), x, y, arg, p.Kept, p.Red, p.OutLen, p.RedLen, p.Kind, p.WantArg);
    }
}
