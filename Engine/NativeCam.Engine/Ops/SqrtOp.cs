using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>√x.</summary>
public sealed class SqrtOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Sqrt";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Sqrt;

    // (√x)′ = 1/(2√x) = 0.5/y
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => y.Reciprocal() * 0.5;
}
