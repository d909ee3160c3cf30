using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, NCHW) with an optional bias and a fused activation:
/// y = act(conv(x, w) + bias), x [N, C, H, W], w [K, C/groups, KH, KW], bias [K], y [N, K, OH, OW].
/// <c>p</c> fixes every size; the inputs must match it.
/// </summary>
public sealed class Conv2dOp(Conv2dParams p) : Op
{
    /// <inheritdoc/>
    public override string Name => "Conv2d";

    /// <summary>The geometry (with its activation).</summary>
    public Conv2dParams Params => p;

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        if (x.Length is < 2 or > 3) throw new ArgumentException($"Conv2d: expected (x, w) or (x, w, bias), got {x.Length} inputs");
        CheckInput(p, x[0].Shape, "Conv2d", "x");
        CheckWeight(p, x[1].Shape, "Conv2d");
        if (x.Length == 3 && (x[2].Rank != 1 || x[2].Shape[0] != p.K))
            throw new ArgumentException($"Conv2d: bias has shape {Shapes.Format(x[2].Shape)}, expected [{p.K}]");
        var y = Tensor.Empty(OutShape(p), x[0].DType, x[0].Backend);
        x[0].Backend.Conv2d(p, x[0].Buffer, x[1].Buffer, x.Length == 3 ? x[2].Buffer : null, y.Buffer);
        return y;
    }

    /// <summary>The geometry without the activation (the linear part).</summary>
    private Conv2dParams Linear => p with { Activation = FusedActivation.None };

    /// <summary>
    /// The activation's derivative applied to <paramref name="t"/>: t where y says the input was on the activation's
    /// slope (relu: y &gt; 0; clip: lo &lt; y &lt; hi), else 0, in one gated pass. The gate is piecewise constant: its
    /// derivative is zero almost everywhere.
    /// </summary>
    private Tensor Through(Tensor y, Tensor t) => p.Activation switch
    {
        FusedActivation.Relu => GateOp.Relu(y, t),
        FusedActivation.Clip => GateOp.Clip(y, p.ActivationMin, p.ActivationMax, t),
        _ => t,
    };

    // bilinear in (x, w), affine in bias: d(conv(x, w) + b) = conv(dx, w) + conv(x, dw) + db; the activation
    // passes it where it has slope 1
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? t = null;
        if (dx[0] is { } d0) t = new Conv2dOp(Linear).Apply(d0, x[1]);
        if (dx[1] is { } d1) t = Add(t, new Conv2dOp(Linear).Apply(x[0], d1));
        if (dx.Length == 3 && dx[2] is { } d2) t = Add(t, d2.Reshape(1, p.K, 1, 1));
        return Through(y, t!.BroadcastTo(y.Shape));
    }

    // with g = mask·ȳ: x̄ = convᵀ(g, w) (backward-input), w̄ = corr(x, g) (backward-weight), bias̄ = Σ_{N,OH,OW} g
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [.. x.Select(_ => true)]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted)
    {
        var g = p.Activation is FusedActivation.Relu or FusedActivation.Clip
            ? Through(y, GuidedBackprop.Gate(dy)) // ReLU/Clip: the guided rule applies when active
            : dy;
        var gx = wanted[0] ? new Conv2dBackwardInputOp(Linear).Apply(g, x[1]) : null;
        var gw = wanted[1] ? new Conv2dBackwardWeightOp(Linear).Apply(x[0], g) : null;
        return x.Length == 3 ? [gx, gw, wanted[2] ? g.Sum([0, 2, 3]) : null] : [gx, gw];
    }

    private static Tensor Add(Tensor? a, Tensor b) => a is null ? b : a + b;

    /// <summary>[N, C, H, W].</summary>
    internal static int[] InShape(Conv2dParams p) => [p.N, p.C, p.H, p.W];

    /// <summary>[K, C/groups, KH, KW].</summary>
    internal static int[] WeightShape(Conv2dParams p) => [p.K, p.CPerGroup, p.KH, p.KW];

    /// <summary>[N, K, OH, OW].</summary>
    internal static int[] OutShape(Conv2dParams p) => [p.N, p.K, p.OH, p.OW];

    /// <summary>Throws unless <paramref name="shape"/> is the input shape of <paramref name="p"/>.</summary>
    internal static void CheckInput(Conv2dParams p, int[] shape, string op, string what) =>
        CheckShape(InShape(p), shape, op, what);

    /// <summary>Throws unless <paramref name="shape"/> is the weight shape of <paramref name="p"/>.</summary>
    internal static void CheckWeight(Conv2dParams p, int[] shape, string op) => CheckShape(WeightShape(p), shape, op, "w");

    /// <summary>Throws unless <paramref name="shape"/> is the output shape of <paramref name="p"/>.</summary>
    internal static void CheckOutput(Conv2dParams p, int[] shape, string op, string what) =>
        CheckShape(OutShape(p), shape, op, what);

    private static void CheckShape(int[] expected, int[] shape, string op, string what)
    {
        if (!expected.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{op}: {what} has shape {Shapes.Format(shape)}, expected {Shapes.Format(expected)}");
    }
}
