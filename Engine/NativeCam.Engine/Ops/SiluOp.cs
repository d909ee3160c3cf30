using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>SiLU (swish) x·σ(x).</summary>
public sealed class SiluOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Silu";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Silu;

    // (xσ)′ = σ + xσ(1 − σ) = silu′(x), one op (see SiluDerivativeOp)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => SiluDerivativeOp.Apply(1, x, x.Value.OnesLike());

    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => SiluDerivativeOp.Apply(1, x, dx);

    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => SiluDerivativeOp.Apply(1, x, dy);
}
