using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Hard swish x·max(0, min(1, x/6 + 1/2)).</summary>
public sealed class HardSwishOp : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "HardSwish";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.HardSwish;

    // y = 0 for x ≤ −3, x(x/6 + 1/2) inside, x for x ≥ 3: y′ = [−3 < x < 3]·(x/3 + 1/2) + [x ≥ 3] (masks constant)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y)
    {
        var inside = Elementwise.Constant(UnaryKind.InRange, x, -3, 3);
        var above = Elementwise.Map(UnaryKind.Affine, Elementwise.Constant(UnaryKind.InRange, x, double.NegativeInfinity, 3), -1, 1);
        return inside * (x * (1.0 / 3) + 0.5) + above;
    }
}
