using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The transposed convolution BI(dy, w) = ∂⟨dy, conv(x, w)⟩/∂x: dy [N, K, OH, OW], w [K, C/groups, KH, KW] →
/// [N, C, H, W] (H, W from <c>p</c>; the activation of <c>p</c> is ignored). Bilinear in (dy, w).
/// </summary>
public sealed class Conv2dBackwardInputOp(Conv2dParams p) : Op
{
    private readonly Conv2dParams _p = p with { Activation = FusedActivation.None };

    /// <inheritdoc/>
    public override string Name => "Conv2dBackwardInput";

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        if (x.Length != 2) throw new ArgumentException($"Conv2dBackwardInput: expected (dy, w), got {x.Length} inputs");
        Conv2dOp.CheckOutput(_p, x[0].Shape, Name, "dy");
        Conv2dOp.CheckWeight(_p, x[1].Shape, Name);
        var dx = Tensor.Empty(Conv2dOp.InShape(_p), x[0].DType, x[0].Backend);
        x[0].Backend.Conv2dBackwardInput(_p, x[0].Buffer, x[1].Buffer, dx.Buffer);
        return dx;
    }

    // bilinear: d BI(dy, w) = BI(d dy, w) + BI(dy, dw)
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? a = dx[0] is null ? null : new Conv2dBackwardInputOp(_p).Apply(dx[0]!, x[1]);
        Tensor? b = dx[1] is null ? null : new Conv2dBackwardInputOp(_p).Apply(x[0], dx[1]!);
        return a is null ? b! : b is null ? a : a + b;
    }

    // ⟨G, BI(dy, w)⟩ = ⟨conv(G, w), dy⟩: d̄y = conv(G, w); as a function of w that is ⟨dy, conv(G, w)⟩, so w̄ = BW(G, dy)
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [true, true]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted) =>
        [wanted[0] ? new Conv2dOp(_p).Apply(dy, x[1]) : null, wanted[1] ? new Conv2dBackwardWeightOp(_p).Apply(dy, x[0]) : null];
}
