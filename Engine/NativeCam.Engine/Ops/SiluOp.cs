using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>SiLU (swish) x·σ(x).</summary>
public sealed class SiluOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Silu";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Silu;

    // (xσ)′ = σ + xσ(1 − σ) = σ(1 + x(1 − σ))
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y)
    {
        var s = x.Sigmoid();
        return s * (1.0 + x * (1.0 - s));
    }
}
