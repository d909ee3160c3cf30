using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>x^p for a constant exponent p (NaN for negative x and non-integer p, as Math.Pow).</summary>
public sealed class PowScalarOp(double p) : KernelElementwiseOp
{
    /// <inheritdoc/>
    public override string Name => "PowScalar";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.PowScalar;

    /// <inheritdoc/>
    protected override double Alpha => p;

    // (x^p)′ = p·x^(p−1), itself a PowScalar so it differentiates again; p = 0 gives 0, p = 1 gives 1, p = 2 gives 2x
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => p switch
    {
        0 => x.Value.ZerosLike(),
        1 => x.Value.OnesLike(),
        2 => x * 2.0,
        _ => x.Pow(p - 1) * p,
    };
}
