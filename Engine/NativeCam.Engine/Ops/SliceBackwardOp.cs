using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The adjoint of <see cref="SliceOp"/>: zeros of shape <c>outShape</c> with the input (shaped <c>counts</c>)
/// written at the slice's positions.
/// </summary>
public sealed class SliceBackwardOp(int[] outShape, int[] starts, int[] steps, int[] counts) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "SliceBackward";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var p = Layout.SliceCopy(Name, x.Shape, outShape, starts, steps, counts, intoSlice: false);
        var y = Tensor.Empty((int[])outShape.Clone(), x.DType, x.Backend);
        x.Backend.Fill(y.Buffer, 0);
        x.Backend.StridedCopy(p, x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new SliceBackwardOp(outShape, starts, steps, counts).Apply(dx);

    // adjoint of writing a sub-grid into zeros is reading it back
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new SliceOp(outShape, starts, steps, counts).Apply(dy);
}
