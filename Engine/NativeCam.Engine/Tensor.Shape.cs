using NativeCam.Engine.Ops;
using NativeCam.Kernels;

namespace NativeCam.Engine;

public sealed partial class Tensor
{
    /// <summary>The same elements under another shape; one dim may be −1 (inferred).</summary>
    public Tensor Reshape(params int[] shape)
    {
        var s = (int[])shape.Clone();
        int infer = Array.IndexOf(s, -1);
        if (infer >= 0)
        {
            long known = 1;
            for (int i = 0; i < s.Length; i++) if (i != infer) known *= s[i];
            if (known == 0 || Length % known != 0)
                throw new ArgumentException($"Reshape: cannot infer a dim of {Shapes.Format(shape)} for {Length} elements");
            s[infer] = (int)(Length / known);
        }
        return s.AsSpan().SequenceEqual(Shape) ? this : new ReshapeOp(s).Apply(this);
    }

    /// <summary>Stretches to <paramref name="shape"/> by broadcasting.</summary>
    public Tensor BroadcastTo(int[] shape) => shape.AsSpan().SequenceEqual(Shape) ? this : new BroadcastToOp(shape).Apply(this);

    /// <summary>Sums over the axes this tensor was broadcast along to reach its shape from <paramref name="shape"/>.</summary>
    public Tensor SumTo(int[] shape)
    {
        if (shape.AsSpan().SequenceEqual(Shape)) return this;
        var axes = Broadcast.StretchedAxes(shape, Shape);
        return Sum(axes, keepDims: false).Reshape(shape);
    }

    /// <summary>Sum over <paramref name="axes"/> (negative counts from the end; empty = all).</summary>
    public Tensor Sum(int[]? axes = null, bool keepDims = false) => new SumOp(NormalizeAxes(axes), keepDims).Apply(this);

    /// <summary>Mean over <paramref name="axes"/> (empty = all).</summary>
    public Tensor Mean(int[]? axes = null, bool keepDims = false)
    {
        var ax = NormalizeAxes(axes);
        long n = 1;
        foreach (int a in ax) n *= Shape[a];
        return Sum(ax, keepDims) * (1.0 / n);
    }

    /// <summary>Sorted, distinct, non-negative axes; null or empty means all axes.</summary>
    internal int[] NormalizeAxes(int[]? axes)
    {
        if (axes is null || axes.Length == 0) return Enumerable.Range(0, Rank).ToArray();
        var r = axes.Select(a => a < 0 ? a + Rank : a).Distinct().Order().ToArray();
        foreach (int a in r)
            if (a < 0 || a >= Rank) throw new ArgumentException($"axis out of range for shape {Shapes.Format(Shape)}: [{string.Join(", ", axes)}]");
        return r;
    }
}
