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

    // y = silu(x) and ẏ = silu′(x)·ẋ in one pass that reads x once (the values of Forward and Jvp, bit for bit)
    /// <inheritdoc/>
    protected internal override (Tensor Value, Tensor Tangent)? ForwardWithTangent(Tensor[] x, Tensor?[] dx) =>
        dx[0] is { } d ? SiluDerivativeOp.Pair(0, x[0], null, d, null) : null;

    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => SiluDerivativeOp.Apply(1, x, dy);
}
