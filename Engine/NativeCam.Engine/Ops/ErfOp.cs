using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt.</summary>
public sealed class ErfOp : KernelElementwiseOp
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    /// <inheritdoc/>
    public override string Name => "Erf";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.Erf;

    // erf′(x) = 2/√π · e^(−x²)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y) => (-x.Square()).Exp() * TwoOverSqrtPi;
}
