using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>2-D average pooling over x [N, C, H, W] → [N, C, OH, OW] (geometry and divisor rule in <c>p</c>). Linear.</summary>
public sealed class AvgPool2dOp(Pool2dParams p) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "AvgPool2d";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        Pool2d.Check(p, x.Shape, Name);
        var y = Tensor.Empty(Pool2d.OutShape(p), x.DType, x.Backend);
        x.Backend.AvgPool2d(p, x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new AvgPool2dOp(p).Apply(dx);

    // y = A x with a constant matrix A: x̄ = Aᵀ ȳ
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new AvgPool2dBackwardOp(p).Apply(dy);
}
