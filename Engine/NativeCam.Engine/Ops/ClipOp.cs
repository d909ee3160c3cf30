using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>min(max(x, min), max); an open end is ±∞.</summary>
public sealed class ClipOp : KernelElementwiseOp
{
    private readonly double _min, _max;

    /// <summary>Clip to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public ClipOp(double min, double max)
    {
        if (double.IsNaN(min) || double.IsNaN(max) || min > max)
            throw new ArgumentException($"Clip: need min ≤ max, got min {min}, max {max}");
        (_min, _max) = (min, max);
    }

    /// <inheritdoc/>
    public override string Name => "Clip";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Clip;

    /// <inheritdoc/>
    protected override double Alpha => _min;

    /// <inheritdoc/>
    protected override double Beta => _max;

    // y′ = [min < x < max], a constant mask (0 at the kinks and outside)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => Elementwise.Constant(UnaryKind.InRange, x, _min, _max);

    // ẏ = [min < x < max]·ẋ, one gated pass (no mask)
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => GateOp.Clip(x, _min, _max, dx);

    // x̄ = [min < x < max]·ȳ; under guided backpropagation [min < x < max]·max(ȳ, 0)
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => GateOp.Clip(x, _min, _max, GuidedBackprop.Gate(dy));
}
