using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>1/x.</summary>
public sealed class ReciprocalOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Reciprocal";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Reciprocal;

    // (1/x)′ = −1/x² = −y²
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => -y.Square();
}
