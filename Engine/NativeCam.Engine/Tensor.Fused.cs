using NativeCam.Engine.Ops;
using NativeCam.Kernels;

namespace NativeCam.Engine;

public sealed partial class Tensor
{
    /// <summary>
    /// act(conv(this, w) + bias + residual) as one op (<see cref="FusedConv2dOp"/>): one output buffer, the sum and
    /// the activation applied in place. With no residual and ReLU/Clip (or none) this is <see cref="Conv2d"/> with
    /// the kernel's own fused activation. When an input carries derivatives and the activation's slope depends on
    /// the pre-activation (HardSwish, SiLU), the pre-activation is kept as its own tensor (conv, add, activation
    /// ops), as the unfused graph would, instead of recomputing it in the derivative rules.
    /// </summary>
    /// <param name="w">[K, C/groups, KH, KW].</param>
    /// <param name="bias">[K], or null.</param>
    /// <param name="residual">[N, K, OH, OW] (the output's shape), or null.</param>
    /// <param name="options">The geometry (its activation must be None).</param>
    /// <param name="activation">The activation after the sum.</param>
    /// <param name="alpha">Clip: lower bound; LeakyRelu: slope in [0, 1].</param>
    /// <param name="beta">Clip: upper bound.</param>
    public Tensor FusedConv2d(Tensor w, Tensor? bias, Tensor? residual, Conv2dOptions options, ConvActivation activation, double alpha = 0, double beta = 0)
    {
        if (options.Activation != FusedActivation.None) throw new ArgumentException("FusedConv2d: give the activation as an argument, not in the options");
        if (residual is null && activation is ConvActivation.None or ConvActivation.Relu or ConvActivation.Clip)
            return Conv2d(w, bias, activation switch
            {
                ConvActivation.Relu => options with { Activation = FusedActivation.Relu },
                ConvActivation.Clip => options with { Activation = FusedActivation.Clip, ActivationMin = alpha, ActivationMax = beta },
                _ => options,
            });
        var p = ConvParams(Shape, w.Shape, options);
        bool differentiable = IsDifferentiable || w.IsDifferentiable || bias is { IsDifferentiable: true } || residual is { IsDifferentiable: true };
        bool sameShape = residual is null || residual.Shape.AsSpan().SequenceEqual([p.N, p.K, p.OH, p.OW]);
        if (!sameShape || (differentiable && activation is ConvActivation.HardSwish or ConvActivation.Silu))
        {
            var u = Conv2d(w, bias, options);
            if (residual is not null) u += residual; // broadcasting residuals take the general add
            return activation switch
            {
                ConvActivation.None => u,
                ConvActivation.Relu => u.Relu(),
                ConvActivation.Clip => u.Clip(alpha, beta),
                ConvActivation.LeakyRelu => u.LeakyRelu(alpha),
                ConvActivation.HardSwish => u.HardSwish(),
                _ => u.Silu(),
            };
        }
        var op = new FusedConv2dOp(p, activation, alpha, beta, bias is not null, residual is not null);
        Tensor[] args = (bias, residual) switch
        {
            (null, null) => [this, w],
            ({ } b, null) => [this, w, b],
            (null, { } z) => [this, w, z],
            ({ } b, { } z) => [this, w, b, z],
        };
        return op.Apply(args);
    }
}
