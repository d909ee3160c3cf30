using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>The logistic sigmoid σ(x) = 1/(1 + e^(−x)).</summary>
public sealed class SigmoidOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Sigmoid";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Sigmoid;

    // σ′ = σ(1 − σ) = y(1 − y)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => y * (1.0 - y);
}
