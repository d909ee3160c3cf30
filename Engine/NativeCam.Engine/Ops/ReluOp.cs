using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>max(0, x).</summary>
public sealed class ReluOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Relu";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Relu;

    // y′ = [x > 0], a constant mask; at the kink x = 0 the subgradient 0 is used (as PyTorch does)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => Elementwise.Constant(UnaryKind.GreaterScalar, x, 0);

    // ẏ = [x > 0]·ẋ, one gated pass (no mask)
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => GateOp.Relu(x, dx);

    // x̄ = [x > 0]·ȳ; under guided backpropagation [x > 0]·max(ȳ, 0)
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => GateOp.Relu(x, GuidedBackprop.Gate(dy));
}
