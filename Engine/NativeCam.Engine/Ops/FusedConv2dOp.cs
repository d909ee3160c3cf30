using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>The activation applied after a fused convolution's sum (see <see cref="FusedConv2dOp"/>).</summary>
public enum ConvActivation
{
    /// <summary>None: y = u.</summary>
    None,
    /// <summary>max(u, 0).</summary>
    Relu,
    /// <summary>min(max(u, Alpha), Beta).</summary>
    Clip,
    /// <summary>u for u &gt; 0, Alpha·u otherwise (0 ≤ Alpha ≤ 1).</summary>
    LeakyRelu,
    /// <summary>u·max(0, min(1, u/6 + 1/2)).</summary>
    HardSwish,
    /// <summary>u·σ(u).</summary>
    Silu,
}

/// <summary>
/// A convolution with its epilogue fused: y = act(conv(x, w) + bias + z), x [N, C, H, W], w [K, C/groups, KH, KW],
/// bias [K] (optional), z [N, K, OH, OW] (an optional residual of the output's shape). One kernel call writes the
/// output: bias, residual and activation are the conv kernel's epilogue.
/// </summary>
public sealed class FusedConv2dOp : Op
{
    private readonly Conv2dParams _p;

    /// <summary>A fused convolution of geometry <paramref name="p"/> (its own activation must be None).</summary>
    /// <param name="p">The convolution's geometry.</param>
    /// <param name="activation">The activation after the sum.</param>
    /// <param name="alpha">Clip: the lower bound; LeakyRelu: the slope below 0 (in [0, 1]).</param>
    /// <param name="beta">Clip: the upper bound.</param>
    /// <param name="hasBias">Input 2 is the bias.</param>
    /// <param name="hasResidual">The last input is the residual z.</param>
    public FusedConv2dOp(Conv2dParams p, ConvActivation activation, double alpha, double beta, bool hasBias, bool hasResidual)
    {
        if (p.Activation != FusedActivation.None) throw new ArgumentException("FusedConv2d: the geometry must not carry an activation of its own");
        if (activation == ConvActivation.Clip && !(alpha <= beta)) throw new ArgumentException($"FusedConv2d: clip range [{alpha}, {beta}] is empty");
        if (activation == ConvActivation.LeakyRelu && !(alpha is >= 0 and <= 1)) throw new ArgumentException($"FusedConv2d: leaky ReLU slope {alpha} is outside [0, 1]");
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation));
        (_p, Activation, Alpha, Beta, HasBias, HasResidual) = (p, activation, alpha, beta, hasBias, hasResidual);
    }

    /// <inheritdoc/>
    public override string Name => "FusedConv2d";

    /// <summary>The activation.</summary>
    public ConvActivation Activation { get; }

    /// <summary>First activation parameter.</summary>
    public double Alpha { get; }

    /// <summary>Second activation parameter.</summary>
    public double Beta { get; }

    /// <summary>Input 2 is a bias.</summary>
    public bool HasBias { get; }

    /// <summary>The last input is a residual.</summary>
    public bool HasResidual { get; }

    private int Arity => 2 + (HasBias ? 1 : 0) + (HasResidual ? 1 : 0);

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        if (x.Length != Arity) throw new ArgumentException($"FusedConv2d: expected {Arity} inputs, got {x.Length}");
        Conv2dOp.CheckInput(_p, x[0].Shape, Name, "x");
        Conv2dOp.CheckWeight(_p, x[1].Shape, Name);
        if (HasBias && (x[2].Rank != 1 || x[2].Shape[0] != _p.K))
            throw new ArgumentException($"FusedConv2d: bias has shape {Shapes.Format(x[2].Shape)}, expected [{_p.K}]");
        if (HasResidual) Conv2dOp.CheckOutput(_p, x[^1].Shape, Name, "residual");
        var y = Tensor.Empty(Conv2dOp.OutShape(_p), x[0].DType, x[0].Backend);
        // the kernel's epilogue adds bias and residual and applies the activation while each tile is in cache
        var p = _p with
        {
            Activation = Activation switch
            {
                ConvActivation.None => FusedActivation.None,
                ConvActivation.Relu => FusedActivation.Relu,
                ConvActivation.Clip => FusedActivation.Clip,
                ConvActivation.LeakyRelu => FusedActivation.LeakyRelu,
                ConvActivation.HardSwish => FusedActivation.HardSwish,
                _ => FusedActivation.Silu,
            },
            ActivationMin = Alpha,
            ActivationMax = Beta,
            ActivationAlpha = Alpha,
        };
        x[0].Backend.Conv2d(p, x[0].Buffer, x[1].Buffer, HasBias ? x[2].Buffer : null, y.Buffer, HasResidual ? x[^1].Buffer : null);
        return y;
    }

    private Conv2dParams Linear => _p;

    /// <summary>The pre-activation u = conv(x, w) + bias + z, recomputed with differentiable ops.</summary>
    private Tensor Pre(Tensor[] x)
    {
        var u = new Conv2dOp(Linear).Apply(x[0], x[1]);
        if (HasBias) u += x[2].Reshape(1, _p.K, 1, 1);
        if (HasResidual) u += x[^1];
        return u;
    }

    /// <summary>
    /// act′(u) for LeakyRelu and HardSwish (ReLU, Clip and SiLU go through <see cref="Through"/> directly). LeakyRelu:
    /// a constant mask read off y (its sign tells u's side of the kink: tangent 0). HardSwish depends on u itself,
    /// recomputed with differentiable ops, so H·v gets its second-order terms.
    /// </summary>
    private Tensor? Slope(Tensor[] x, Tensor y)
    {
        switch (Activation)
        {
            case ConvActivation.None: return null;
            case ConvActivation.LeakyRelu:
                // 0 ≤ α ≤ 1: y > 0 exactly where u > 0; y′ = (1 − α)·[u > 0] + α
                return Elementwise.Map(UnaryKind.Affine, Elementwise.Constant(UnaryKind.GreaterScalar, y, 0), 1 - Alpha, Alpha);
            case ConvActivation.HardSwish:
            {
                // y′ = [−3 < u < 3]·(u/3 + 1/2) + [u ≥ 3]
                var u = Pre(x);
                var inside = Elementwise.Constant(UnaryKind.InRange, u, -3, 3);
                var above = Elementwise.Map(UnaryKind.Affine, Elementwise.Constant(UnaryKind.InRange, u, double.NegativeInfinity, 3), -1, 1);
                return inside * (u * (1.0 / 3) + 0.5) + above;
            }
            default: throw new InvalidOperationException($"{Activation}'s slope is applied by Through");
        }
    }

    /// <summary>act′(u)·t; the backward sweep's cotangent passes the guided-backpropagation gate first
    /// (<paramref name="gate"/>, ReLU/Clip only). ReLU and Clip: one gated pass read off y (<see cref="GateOp"/>).
    /// SiLU: silu′(u)·t as one op on the recomputed u (its second-order terms included).</summary>
    private Tensor Through(Tensor[] x, Tensor y, Tensor t, bool gate)
    {
        switch (Activation)
        {
            case ConvActivation.Silu: return SiluDerivativeOp.Apply(1, Pre(x), t);
            case ConvActivation.Relu: return GateOp.Relu(y, gate ? GuidedBackprop.Gate(t) : t);
            case ConvActivation.Clip: return GateOp.Clip(y, Alpha, Beta, gate ? GuidedBackprop.Gate(t) : t);
        }
        return Slope(x, y) is { } m ? t * m : t;
    }

    // du = conv(dx, w) + conv(x, dw) + dbias + dz; dy = act′(u)·du
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? t = null;
        if (dx[0] is { } d0) t = new Conv2dOp(Linear).Apply(d0, x[1]);
        if (dx[1] is { } d1) t = Add(t, new Conv2dOp(Linear).Apply(x[0], d1));
        if (HasBias && dx[2] is { } d2) t = Add(t, d2.Reshape(1, _p.K, 1, 1));
        if (HasResidual && dx[^1] is { } dz) t = Add(t, dz);
        return Through(x, y, t!.BroadcastTo(y.Shape), gate: false);
    }

    // with g = act′(u)·ȳ: x̄ = convᵀ(g, w), w̄ = corr(x, g), bias̄ = Σ_{N,OH,OW} g, z̄ = g
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [.. x.Select(_ => true)]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted)
    {
        var g = Through(x, y, dy, gate: true);
        var r = new Tensor?[x.Length];
        if (wanted[0]) r[0] = new Conv2dBackwardInputOp(Linear).Apply(g, x[1]);
        if (wanted[1]) r[1] = new Conv2dBackwardWeightOp(Linear).Apply(x[0], g);
        if (HasBias && wanted[2]) r[2] = g.Sum([0, 2, 3]);
        if (HasResidual && wanted[^1]) r[^1] = g;
        return r;
    }

    private static Tensor Add(Tensor? a, Tensor b) => a is null ? b : a + b;
}
