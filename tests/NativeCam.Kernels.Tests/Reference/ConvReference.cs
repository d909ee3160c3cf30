using NativeCam.Kernels;

namespace NativeCam.Kernels.Tests.Reference;

/// <summary>Plain float64 2-D convolution and its two adjoints, straight from the definition.</summary>
public static class ConvReference
{
    /// <summary>Calls f(n, k, oh, ow, c, kh, kw, ih, iw) for every term with (ih, iw) inside the input.</summary>
    private static void ForEachTerm(Conv2dParams p, Action<int, int, int, int, int, int, int, int, int> f)
    {
        int cpg = p.C / p.Groups, kpg = p.K / p.Groups;
        for (int n = 0; n < p.N; n++)
            for (int k = 0; k < p.K; k++)
            {
                int group = k / kpg;
                for (int oh = 0; oh < p.OH; oh++)
                    for (int ow = 0; ow < p.OW; ow++)
                        for (int ci = 0; ci < cpg; ci++)
                            for (int kh = 0; kh < p.KH; kh++)
                                for (int kw = 0; kw < p.KW; kw++)
                                {
                                    int ih = oh * p.StrideH + kh * p.DilationH - p.PadTop;
                                    int iw = ow * p.StrideW + kw * p.DilationW - p.PadLeft;
                                    if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W) continue;
                                    f(n, k, oh, ow, group * cpg + ci, kh, kw, ih, iw);
                                }
            }
    }

    private static long X(Conv2dParams p, int n, int c, int ih, int iw) => ((long)(n * p.C + c) * p.H + ih) * p.W + iw;
    private static long Y(Conv2dParams p, int n, int k, int oh, int ow) => ((long)(n * p.K + k) * p.OH + oh) * p.OW + ow;
    private static long Wt(Conv2dParams p, int k, int c, int kh, int kw) =>
        ((long)(k * (p.C / p.Groups) + c % (p.C / p.Groups)) * p.KH + kh) * p.KW + kw;

    /// <summary>y = act(conv(x, w) + bias).</summary>
    public static double[] Forward(Conv2dParams p, double[] x, double[] w, double[]? bias) => Forward(p, x, w, bias, null);

    /// <summary>The fused activations, from their definitions.</summary>
    public static double Activate(Conv2dParams p, double v) => p.Activation switch
    {
        FusedActivation.Relu => Math.Max(v, 0),
        FusedActivation.Clip => Math.Min(Math.Max(v, p.ActivationMin), p.ActivationMax),
        FusedActivation.LeakyRelu => v < 0 ? p.ActivationAlpha * v : v,
        FusedActivation.HardSwish => v * Math.Clamp(v / 6 + 0.5, 0, 1),
        FusedActivation.Silu => v / (1 + Math.Exp(-v)),
        _ => v,
    };

    /// <summary>y = act(conv(x, w) + bias + residual).</summary>
    public static double[] Forward(Conv2dParams p, double[] x, double[] w, double[]? bias, double[]? residual)
    {
        var y = new double[p.N * p.K * p.OH * p.OW];
        ForEachTerm(p, (n, k, oh, ow, c, kh, kw, ih, iw) => y[Y(p, n, k, oh, ow)] += w[Wt(p, k, c, kh, kw)] * x[X(p, n, c, ih, iw)]);
        for (int i = 0; i < y.Length; i++)
        {
            int k = i / (p.OH * p.OW) % p.K;
            double v = y[i] + (bias?[k] ?? 0) + (residual?[i] ?? 0);
            y[i] = Activate(p, v);
        }
        return y;
    }

    /// <summary>dx = ∂⟨dy, conv(x, w)⟩/∂x.</summary>
    public static double[] BackwardInput(Conv2dParams p, double[] dy, double[] w)
    {
        var dx = new double[p.N * p.C * p.H * p.W];
        ForEachTerm(p, (n, k, oh, ow, c, kh, kw, ih, iw) => dx[X(p, n, c, ih, iw)] += w[Wt(p, k, c, kh, kw)] * dy[Y(p, n, k, oh, ow)]);
        return dx;
    }

    /// <summary>dw = ∂⟨dy, conv(x, w)⟩/∂w.</summary>
    public static double[] BackwardWeight(Conv2dParams p, double[] x, double[] dy)
    {
        var dw = new double[p.K * (p.C / p.Groups) * p.KH * p.KW];
        ForEachTerm(p, (n, k, oh, ow, c, kh, kw, ih, iw) => dw[Wt(p, k, c, kh, kw)] += x[X(p, n, c, ih, iw)] * dy[Y(p, n, k, oh, ow)]);
        return dw;
    }
}
