using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>|x|.</summary>
public sealed class AbsOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "Abs";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Abs;

    // |x|′ = sign(x), piecewise constant (0 at the kink x = 0): a constant mask computed from the value
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => Elementwise.Constant(UnaryKind.Sign, x);
}
