using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Leaky ReLU: x for x &gt; 0, αx otherwise (α ≤ 1).</summary>
public sealed class LeakyReluOp(double alpha) : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "LeakyRelu";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.LeakyRelu;

    /// <inheritdoc/>
    protected override double Alpha => alpha;

    // y′ = [x > 0] + α·[x ≤ 0] = (1 − α)·[x > 0] + α, a constant mask (α at the kink x = 0)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) =>
        Elementwise.Map(UnaryKind.Affine, Elementwise.Constant(UnaryKind.GreaterScalar, x, 0), 1 - alpha, alpha);
}
