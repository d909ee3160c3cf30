using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>αx + β with scalar constants (scaling and shifting by numbers).</summary>
public sealed class AffineOp(double alpha, double beta) : UnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Affine";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x) => Elementwise.Map(UnaryKind.Affine, x, alpha, beta);

    // d(αx + β) = α·dx
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => dx * alpha;

    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => dy * alpha;
}
