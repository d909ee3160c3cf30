using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The adjoint of average pooling, dx = Aᵀ dy: dy [N, C, OH, OW] → [N, C, H, W] (geometry in <c>p</c>). Linear; its
/// adjoint is <see cref="AvgPool2dOp"/>.
/// </summary>
public sealed class AvgPool2dBackwardOp(Pool2dParams p) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "AvgPool2dBackward";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor dy)
    {
        var outShape = Pool2d.OutShape(p);
        if (!outShape.AsSpan().SequenceEqual(dy.Shape))
            throw new ArgumentException($"AvgPool2dBackward: dy has shape {Shapes.Format(dy.Shape)}, expected {Shapes.Format(outShape)}");
        var dx = Tensor.Empty([p.N, p.C, p.H, p.W], dy.DType, dy.Backend);
        dy.Backend.AvgPool2dBackward(p, dy.Buffer, dx.Buffer);
        return dx;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new AvgPool2dBackwardOp(p).Apply(dx);

    // (Aᵀ)ᵀ = A
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new AvgPool2dOp(p).Apply(dy);
}
