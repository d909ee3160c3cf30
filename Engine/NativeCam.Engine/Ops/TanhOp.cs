using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>tanh x.</summary>
public sealed class TanhOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Tanh";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Tanh;

    // tanh′ = 1 − tanh² = 1 − y²
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => 1.0 - y.Square();
}
