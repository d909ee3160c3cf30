using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Natural logarithm ln x.</summary>
public sealed class LogOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Log";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Log;

    // (ln x)′ = 1/x
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => x.Reciprocal();
}
