using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine.Ops;

/// <summary>log Σ e^x along one (non-negative) axis, which is removed or, with keepDims, kept as a size-1 dim.</summary>
public sealed class LogSumExpOp(int axis, bool keepDims) : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "LogSumExp";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var p = AxisView.Of(x.Shape, axis, Name);
        var shape = keepDims ? AxisView.Kept(x.Shape, axis) : x.Shape.Where((_, i) => i != axis).ToArray();
        var y = Tensor.Empty(shape, x.DType, x.Backend);
        x.Backend.LogSumExp(p, x.Buffer, y.Buffer);
        return y;
    }

    /// <summary>softmax(x) = e^(x − y), y broadcast back along the axis.</summary>
    private Tensor Softmax(Tensor x, Tensor y) => (x - y.Reshape(AxisView.Kept(x.Shape, axis))).Exp();

    // ∂y/∂xᵢ = sᵢ (the softmax): dy = Σ s ⊙ dx
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => (Softmax(x, y) * dx).Sum([axis], keepDims);

    // x̄ = s ⊙ ȳ broadcast along the axis
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => Softmax(x, y) * dy.Reshape(AxisView.Kept(x.Shape, axis));
}
