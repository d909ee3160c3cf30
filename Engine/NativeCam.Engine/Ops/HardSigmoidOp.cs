using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Hard sigmoid max(0, min(1, αx + β)) (ONNX HardSigmoid; defaults α = 0.2, β = 0.5).</summary>
public sealed class HardSigmoidOp(double alpha, double beta) : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "HardSigmoid";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.HardSigmoid;

    /// <inheritdoc/>
    protected override double Alpha => alpha;

    /// <inheritdoc/>
    protected override double Beta => beta;

    // y′ = α·[0 < αx + β < 1], a constant mask (0 at the two kinks)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y)
    {
        var z = Elementwise.Constant(UnaryKind.Affine, x, alpha, beta);
        var mask = Elementwise.Map(UnaryKind.InRange, z, 0, 1);
        return Elementwise.Map(UnaryKind.Affine, mask, alpha, 0);
    }
}
