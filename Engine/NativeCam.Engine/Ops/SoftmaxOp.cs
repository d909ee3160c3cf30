using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine.Ops;

/// <summary>Softmax along one (non-negative) axis: yᵢ = e^(xᵢ) / Σⱼ e^(xⱼ).</summary>
public sealed class SoftmaxOp(int axis) : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Softmax";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var p = AxisView.Of(x.Shape, axis, Name);
        var y = Tensor.Empty(x.Shape, x.DType, x.Backend);
        x.Backend.Softmax(p, x.Buffer, y.Buffer);
        return y;
    }

    // ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ): dy = y ⊙ (dx − Σ y ⊙ dx)
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => y * (dx - (y * dx).Sum([axis], keepDims: true));

    // the Jacobian diag(y) − y yᵀ is symmetric: x̄ = y ⊙ (ȳ − Σ y ⊙ ȳ)
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => y * (dy - (y * dy).Sum([axis], keepDims: true));
}
