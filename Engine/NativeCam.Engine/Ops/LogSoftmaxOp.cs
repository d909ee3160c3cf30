using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine.Ops;

/// <summary>Log-softmax along one (non-negative) axis: yᵢ = xᵢ − log Σⱼ e^(xⱼ).</summary>
public sealed class LogSoftmaxOp(int axis) : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "LogSoftmax";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var p = AxisView.Of(x.Shape, axis, Name);
        var y = Tensor.Empty(x.Shape, x.DType, x.Backend);
        x.Backend.LogSoftmax(p, x.Buffer, y.Buffer);
        return y;
    }

    // ∂yᵢ/∂xⱼ = δᵢⱼ − sⱼ with s = softmax(x) = e^y: dy = dx − Σ s ⊙ dx
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => dx - (y.Exp() * dx).Sum([axis], keepDims: true);

    // transpose of I − 1 sᵀ: x̄ = ȳ − s ⊙ Σ ȳ
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => dy - y.Exp() * dy.Sum([axis], keepDims: true);
}
