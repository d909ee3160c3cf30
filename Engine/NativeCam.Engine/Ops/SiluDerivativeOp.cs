using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// a·silu⁽ᵏ⁾(x), k ≥ 1, for x and a of one shape: SiLU's derivative rules as one op per order, so a derivative of
/// SiLU costs one kernel pass and a product instead of a chain of sigmoid, affine and product ops (each of them with
/// a tangent of its own in forward-over-reverse). The family is closed under differentiation:
/// ∂/∂x = a·silu⁽ᵏ⁺¹⁾(x), ∂/∂a = silu⁽ᵏ⁾(x). Orders 1–4 are one kernel call (<see cref="UnaryKind.SiluDerivative"/>);
/// higher orders, reached only by differentiating an H·v again, come from <see cref="SiluDerivativeSeries"/>.
/// </summary>
public sealed class SiluDerivativeOp : Op
{
    /// <summary>a·silu⁽ᵏ⁾(x) of order <paramref name="order"/> ≥ 1.</summary>
    public SiluDerivativeOp(int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        Order = order;
    }

    /// <summary>The derivative's order k.</summary>
    public int Order { get; }

    /// <inheritdoc/>
    public override string Name => "SiluDerivative";

    /// <summary>a·silu⁽ᵏ⁾(x) at any level.</summary>
    public static Tensor Apply(int order, Tensor x, Tensor a) => new SiluDerivativeOp(order).Apply(x, a);

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        Tensor.CheckSameShape(x[0], x[1], "SiluDerivative factor");
        var d = Order <= SiluDerivativeOrder.Max
            ? Elementwise.Map(UnaryKind.SiluDerivative, x[0], Order)
            : SiluDerivativeSeries.Evaluate(x[0], Order);
        var y = d * x[1];
        d.Dispose(); // a temporary of this op alone: its memory may serve the next allocation of a plan or sweep
        return y;
    }

    // value and tangent in one pass over x, a and their tangents (orders the kernel computes with the next one)
    /// <inheritdoc/>
    protected internal override (Tensor Value, Tensor Tangent)? ForwardWithTangent(Tensor[] x, Tensor?[] dx) =>
        Order < SiluDerivativeOrder.Max && (dx[0] is not null || dx[1] is not null) ? Pair(Order, x[0], x[1], dx[0], dx[1]) : null;

    /// <summary>y = a·silu⁽ᵏ⁾(x) (order 0: silu(x), no a) and its tangent from one kernel pass
    /// (<see cref="IKernels.SiluDerivativePair"/>), on plain tensors.</summary>
    internal static (Tensor Value, Tensor Tangent) Pair(int order, Tensor x, Tensor? a, Tensor? dx, Tensor? da)
    {
        foreach (var t in new[] { a, dx, da })
            if (t is not null) Tensor.CheckSameShape(x, t, "SiluDerivative operand");
        var y = Tensor.Empty(x.Shape, x.DType, x.Backend);
        var dy = Tensor.Empty(x.Shape, x.DType, x.Backend);
        x.Backend.SiluDerivativePair(order, x.Buffer, a?.Buffer, dx?.Buffer, da?.Buffer, y.Buffer, dy.Buffer);
        return (y, dy);
    }

    // d(a·silu⁽ᵏ⁾(x)) = da·silu⁽ᵏ⁾(x) + a·dx·silu⁽ᵏ⁺¹⁾(x)
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? viaA = dx[1] is { } da ? Apply(Order, x[0], da) : null;
        Tensor? viaX = dx[0] is { } dxx ? Apply(Order + 1, x[0], x[1] * dxx) : null;
        return viaA is null ? viaX! : viaX is null ? viaA : viaA + viaX;
    }

    // x̄ = ȳ·a·silu⁽ᵏ⁺¹⁾(x), ā = ȳ·silu⁽ᵏ⁾(x)
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [true, true]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted) =>
        [wanted[0] ? Apply(Order + 1, x[0], x[1] * dy) : null, wanted[1] ? Apply(Order, x[0], dy) : null];
}
