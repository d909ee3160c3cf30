using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The adjoint of <see cref="ResizeBilinearOp"/>: Rᵀ applied to a cotangent [N, C, OH, OW], giving
/// [N, C, inH, inW] where R resizes inH×inW to OH×OW.
/// </summary>
public sealed class ResizeBilinearBackwardOp(int inH, int inW, bool alignCorners = false) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "ResizeBilinearBackward";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor dy)
    {
        if (dy.Rank != 4)
            throw new ArgumentException($"{Name}: expects [N, C, OH, OW], got {Shapes.Format(dy.Shape)}");
        int[] inShape = [dy.Shape[0], dy.Shape[1], inH, inW];
        var p = ResizeBilinearOp.Params(Name, inShape, dy.Shape[2], dy.Shape[3], alignCorners);
        var dx = Tensor.Empty(inShape, dy.DType, dy.Backend);
        dy.Backend.ResizeBilinearBackward(p, dy.Buffer, dx.Buffer);
        return dx;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new ResizeBilinearBackwardOp(inH, inW, alignCorners).Apply(dx);

    // (Rᵀ)ᵀ = R: the adjoint is the forward resize back to the cotangent's size
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new ResizeBilinearOp(x.Shape[2], x.Shape[3], alignCorners).Apply(dy);
}
