using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>eˣ.</summary>
public sealed class ExpOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Exp";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Exp;

    // (eˣ)′ = eˣ = y
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => y;
}
