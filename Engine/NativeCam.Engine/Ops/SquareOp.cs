using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>x².</summary>
public sealed class SquareOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Square";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Square;

    // (x²)′ = 2x
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => x * 2.0;
}
