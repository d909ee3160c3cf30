using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Sum over <c>axes</c> (sorted, distinct, non-negative), keeping them as size-1 dims when keepDims.</summary>
public sealed class SumOp(int[] axes, bool keepDims) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Sum";

    /// <summary>The output shape for an input shape.</summary>
    internal int[] OutShape(int[] shape) => keepDims
        ? shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray()
        : shape.Where((_, i) => !axes.Contains(i)).ToArray();

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var y = Tensor.Empty(OutShape(x.Shape), x.DType, x.Backend);
        if (axes.Length == 0) { x.Backend.Cast(x.Buffer, y.Buffer); return y; }
        x.Backend.Reduce(ReduceKind.Sum, x.Shape, axes, x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => dx.Sum(axes, keepDims);

    // adjoint of summing is broadcasting back over the summed axes
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) =>
        dy.Reshape(x.Shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray()).BroadcastTo(x.Shape);
}
