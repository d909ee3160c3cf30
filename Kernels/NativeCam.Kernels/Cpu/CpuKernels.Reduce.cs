using System.Numerics;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null)
    {
        for (int i = 0; i < axes.Length; i++)
        {
            if (axes[i] < 0 || axes[i] >= shape.Length) throw new ArgumentException($"reduce axis {axes[i]} out of range for rank {shape.Length}");
            if (i > 0 && axes[i] <= axes[i - 1]) throw new ArgumentException("reduce axes must be sorted and distinct");
        }
        if (kind == ReduceKind.Sum && argIndex is not null) throw new ArgumentException("argIndex is only for Max/Min");
        Span<int> arg = argIndex is null ? default : Host<int>(argIndex);
        switch (FloatType(x, y))
        {
            case DType.Float32: ReduceScalar(kind, shape, axes, Host<float>(x), Host<float>(y), arg, argIndex is not null); break;
            default: ReduceScalar(kind, shape, axes, Host<double>(x), Host<double>(y), arg, argIndex is not null); break;
        }
    }

    private static void ReduceScalar<T>(ReduceKind kind, int[] shape, int[] axes, Span<T> x, Span<T> y, Span<int> arg, bool wantArg)
        where T : IFloatingPointIeee754<T>
    {
        // split dims into kept (output order) and reduced; iterate output elements, then reduced sub-index
        int rank = shape.Length;
        var strides = Shapes.Strides(shape);
        var kept = Enumerable.Range(0, rank).Where(d => Array.IndexOf(axes, d) < 0).ToArray();
        int[] keptShape = kept.Select(d => shape[d]).ToArray();
        int[] redShape = axes.Select(d => shape[d]).ToArray();
        long outLen = Shapes.Product(keptShape), redLen = Shapes.Product(redShape);
        if (y.Length != outLen) throw new ArgumentException($"reduce output has {y.Length} elements, expected {outLen}");
        if (wantArg && arg.Length != outLen) throw new ArgumentException("argIndex length differs from the output");
        Span<int> ki = stackalloc int[Math.Max(kept.Length, 1)];
        Span<int> ri = stackalloc int[Math.Max(axes.Length, 1)];
        ki.Clear();
        for (long o = 0; o < outLen; o++)
        {
            long baseOff = 0;
            for (int k = 0; k < kept.Length; k++) baseOff += ki[k] * strides[kept[k]];
            ri.Clear();
            T acc = kind switch { ReduceKind.Sum => T.Zero, ReduceKind.Max => T.NegativeInfinity, _ => T.PositiveInfinity };
            long best = baseOff;
            bool first = true;
            for (long r = 0; r < redLen; r++)
            {
                long off = baseOff;
                for (int k = 0; k < axes.Length; k++) off += ri[k] * strides[axes[k]];
                T v = x[(int)off];
                if (kind == ReduceKind.Sum) acc += v;
                else if (first || (kind == ReduceKind.Max ? v > acc : v < acc) || (T.IsNaN(v) && !T.IsNaN(acc))) { acc = v; best = off; }
                first = false;
                for (int d = axes.Length - 1; d >= 0; d--) { if (++ri[d] < redShape[d]) break; ri[d] = 0; }
            }
            y[(int)o] = acc;
            if (wantArg) arg[(int)o] = (int)best;
            for (int d = kept.Length - 1; d >= 0; d--) { if (++ki[d] < keptShape[d]) break; ki[d] = 0; }
        }
    }
}
