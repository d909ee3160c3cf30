using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// A normalised strided slice of an input of shape <c>inShape</c>: output index j on axis a reads input index
/// <c>starts[a] + j·steps[a]</c> for j &lt; <c>counts[a]</c> (steps may be negative). All arrays have the input's rank.
/// </summary>
public sealed class SliceOp(int[] inShape, int[] starts, int[] steps, int[] counts) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Slice";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var p = Layout.SliceCopy(Name, x.Shape, inShape, starts, steps, counts, intoSlice: true);
        var y = Tensor.Empty((int[])counts.Clone(), x.DType, x.Backend);
        x.Backend.StridedCopy(p, x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new SliceOp(inShape, starts, steps, counts).Apply(dx);

    // adjoint of reading a sub-grid is writing it into zeros
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new SliceBackwardOp(inShape, starts, steps, counts).Apply(dy);
}
