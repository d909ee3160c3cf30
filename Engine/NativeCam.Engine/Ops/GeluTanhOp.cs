using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>GELU, tanh approximation ½x(1 + tanh(c(x + kx³))) with c = √(2/π), k = 0.044715.</summary>
public sealed class GeluTanhOp : KernelElementwiseOp
{
    private const double C = 0.79788456080286536, K = 0.044715;

    /// <inheritdoc/>
    public override string Name => "GeluTanh";

    /// <inheritdoc/>
    protected override UnaryKind Kind => UnaryKind.GeluTanh;

    // with u = c(x + kx³), t = tanh u: y′ = ½(1 + t) + ½x(1 − t²)·c(1 + 3kx²)
    /// <inheritdoc/>
    protected override Tensor Derivative(Tensor x, Tensor y)
    {
        var x2 = x.Square();
        var t = (x * (x2 * K + 1.0) * C).Tanh();
        return (t + 1.0) * 0.5 + x * (1.0 - t.Square()) * (x2 * (3 * C * K) + C) * 0.5;
    }
}
