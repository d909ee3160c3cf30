using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The weight gradient BW(x, dy) = ∂⟨dy, conv(x, w)⟩/∂w: x [N, C, H, W], dy [N, K, OH, OW] → [K, C/groups, KH, KW]
/// (the activation of <c>p</c> is ignored). Bilinear in (x, dy).
/// </summary>
public sealed class Conv2dBackwardWeightOp(Conv2dParams p) : Op
{
    private readonly Conv2dParams _p = p with { Activation = FusedActivation.None };

    /// <inheritdoc/>
    public override string Name => "Conv2dBackwardWeight";

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        if (x.Length != 2) throw new ArgumentException($"Conv2dBackwardWeight: expected (x, dy), got {x.Length} inputs");
        Conv2dOp.CheckInput(_p, x[0].Shape, Name, "x");
        Conv2dOp.CheckOutput(_p, x[1].Shape, Name, "dy");
        var dw = Tensor.Empty(Conv2dOp.WeightShape(_p), x[0].DType, x[0].Backend);
        x[0].Backend.Conv2dBackwardWeight(_p, x[0].Buffer, x[1].Buffer, dw.Buffer);
        return dw;
    }

    // bilinear: d BW(x, dy) = BW(dx, dy) + BW(x, d dy)
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? a = dx[0] is null ? null : new Conv2dBackwardWeightOp(_p).Apply(dx[0]!, x[1]);
        Tensor? b = dx[1] is null ? null : new Conv2dBackwardWeightOp(_p).Apply(x[0], dx[1]!);
        return a is null ? b! : b is null ? a : a + b;
    }

    // ⟨G, BW(x, dy)⟩ = ⟨conv(x, G), dy⟩: d̄y = conv(x, G); as a function of x that is ⟨dy, conv(x, G)⟩, so x̄ = BI(dy, G)
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [true, true]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted) =>
        [wanted[0] ? new Conv2dBackwardInputOp(_p).Apply(x[1], dy) : null, wanted[1] ? new Conv2dOp(_p).Apply(x[0], dy) : null];
}
