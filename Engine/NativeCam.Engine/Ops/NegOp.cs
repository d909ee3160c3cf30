using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>−x.</summary>
public sealed class NegOp : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Neg";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x) => Elementwise.Map(UnaryKind.Neg, x);

    // linear and self-adjoint: d(−x) = −dx
    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => -dx;

    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => -dy;
}
