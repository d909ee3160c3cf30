using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>GELU, exact form x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2 the Gaussian CDF.</summary>
public sealed class GeluOp : KernelElementwiseOp
{
    private const double InvSqrt2 = 0.70710678118654752, InvSqrt2Pi = 0.39894228040143268;

    /// <inheritdoc/>
    public override string Name => "Gelu";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Gelu;

    // (xΦ)′ = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y)
    {
        var cdf = (x * InvSqrt2).Erf() * 0.5 + 0.5;
        var pdf = (x.Square() * -0.5).Exp() * InvSqrt2Pi;
        return cdf + x * pdf;
    }
}
