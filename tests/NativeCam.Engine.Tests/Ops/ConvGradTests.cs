using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Values and gradient checks of Conv2d (bias, fused activations) and its backward-input / backward-weight ops.</summary>
public class ConvGradTests
{
    private static readonly (string Name, int[] X, int[] W, Conv2dOptions O)[] Geometries =
    [
        ("3x3 stride 2 asymmetric pads, batch 2", [2, 3, 7, 6], [4, 3, 3, 3], new(StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 0, PadBottom: 2, PadRight: 1)),
        ("groups 2", [1, 4, 5, 5], [6, 2, 3, 3], new(PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2)),
        ("depthwise x2, stride (1, 2)", [2, 3, 5, 6], [6, 1, 3, 3], new(StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3)),
        ("1x1", [2, 3, 4, 5], [5, 3, 1, 1], new()),
        ("dilation 2", [1, 2, 7, 7], [3, 2, 3, 3], new(DilationH: 2, DilationW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2)),
        ("2x3 kernel, stride (2, 1), stride leaves a remainder", [1, 2, 6, 5], [2, 2, 2, 3], new(StrideH: 2, PadBottom: 1)),
    ];

    public static TheoryData<int> Cases => new(Enumerable.Range(0, Geometries.Length));

    private static (Tensor X, Tensor W, Tensor B, Conv2dOptions O) Inputs(int c, int seed = 0)
    {
        var g = Geometries[c];
        return (Rand(g.X, 10 + seed), Rand(g.W, 20 + seed), Rand([g.W[0]], 30 + seed), g.O);
    }

    [Theory, MemberData(nameof(Cases))]
    public void ValuesMatchLoops(int c)
    {
        var (x, w, b, o) = Inputs(c);
        var y = x.Conv2d(w, b, o);
        var p = Tensor.ConvParams(x.Shape, w.Shape, o);
        Assert.Equal(new[] { p.N, p.K, p.OH, p.OW }, y.Shape);
        var expected = Reference(x.ToArray(), w.ToArray(), b.ToArray(), p);
        Close(expected, y.ToArray(), 1e-12, 1e-12);
        Close(Reference(x.ToArray(), w.ToArray(), null, p), x.Conv2d(w, options: o).ToArray(), 1e-12, 1e-12, "without bias");
        Close(expected.Select(v => Math.Max(v, 0)).ToArray(), x.Conv2d(w, b, o with { Activation = FusedActivation.Relu }).ToArray(), 1e-12, 1e-12, "relu");
        Close(expected.Select(v => Math.Clamp(v, -0.5, 0.8)).ToArray(),
            x.Conv2d(w, b, o with { Activation = FusedActivation.Clip, ActivationMin = -0.5, ActivationMax = 0.8 }).ToArray(), 1e-12, 1e-12, "clip");
    }

    // tolerances: float64 central differences, rtol 1e-6 / atol 1e-8 (defaults)
    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(Conv2dOp))]
    public void GradientsWrtInputWeightAndBias(int c)
    {
        var (x0, w0, b0, o) = Inputs(c);
        Passes(x => x.Conv2d(w0, b0, o), x0);
        Passes(w => x0.Conv2d(w, b0, o), w0);
        Passes(b => x0.Conv2d(w0, b, o), b0);
        Passes(x => x.Conv2d(w0, options: o), x0);
        // the variable enters both operands: mixed second derivatives of the bilinear op (H·v ≠ 0)
        Passes(w => (x0 * w.Sum()).Conv2d(w, b0 * w.Sum(), o), w0);
        Passes(x => { var y = x.Conv2d(w0, b0, o); return y * y; }, x0);
        Passes(b => { var y = x0.Conv2d(w0 * b.Sum(), b, o); return y * y; }, b0);
    }

    [Theory, MemberData(nameof(Cases))]
    public void GradientsThroughFusedActivations(int c)
    {
        var o = Geometries[c].O;
        foreach (var act in new[] { o with { Activation = FusedActivation.Relu }, o with { Activation = FusedActivation.Clip, ActivationMin = -0.5, ActivationMax = 0.8 } })
        {
            var (x0, w0, b0) = OffKinks(c, act);
            Passes(x => x.Conv2d(w0, b0, act), x0);
            Passes(w => (x0 * w.Sum()).Conv2d(w, b0, act), w0);
            Passes(b => { var y = x0.Conv2d(w0, b, act); return y * y; }, b0);
        }
    }

    /// <summary>Inputs whose pre-activations keep ≥ 1e-3 away from the activation's kinks, with some on each side.</summary>
    private static (Tensor X, Tensor W, Tensor B) OffKinks(int c, Conv2dOptions act)
    {
        double[] kinks = act.Activation == FusedActivation.Relu ? [0] : [act.ActivationMin, act.ActivationMax];
        for (int seed = 0; ; seed++)
        {
            var (x, w, b, _) = Inputs(c, seed);
            var pre = Reference(x.ToArray(), w.ToArray(), b.ToArray(), Tensor.ConvParams(x.Shape, w.Shape, act));
            bool off = pre.All(v => kinks.All(k => Math.Abs(v - k) > 1e-3));
            bool both = pre.Any(v => v > kinks[0]) && pre.Any(v => v < kinks[0]);
            if (off && both) return (x, w, b);
            Assert.True(seed < 100, "no seed keeps the pre-activations off the kinks");
        }
    }

    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(Conv2dBackwardInputOp))]
    public void BackwardInputOp(int c)
    {
        var (x0, w0, _, o) = Inputs(c);
        var p = Tensor.ConvParams(x0.Shape, w0.Shape, o);
        var dy0 = Rand([p.N, p.K, p.OH, p.OW], 40);
        Tensor Bi(Tensor dy, Tensor w) => new Conv2dBackwardInputOp(p).Apply(dy, w);
        // adjoint identity against the loop convolution: ⟨BI(dy, w), g⟩ = ⟨dy, conv(g, w)⟩
        var g = Rand(x0.Shape, 41);
        Assert.Equal(Dot(dy0.ToArray(), Reference(g.ToArray(), w0.ToArray(), null, p)), Dot(Bi(dy0, w0).ToArray(), g.ToArray()), 10);
        Passes(dy => Bi(dy, w0), dy0);
        Passes(w => Bi(dy0, w), w0);
        Passes(w => Bi(dy0 * w.Sum(), w), w0);
        Passes(dy => { var r = Bi(dy, w0 * dy.Sum()); return r * r; }, dy0);
    }

    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(Conv2dBackwardWeightOp))]
    public void BackwardWeightOp(int c)
    {
        var (x0, w0, _, o) = Inputs(c);
        var p = Tensor.ConvParams(x0.Shape, w0.Shape, o);
        var dy0 = Rand([p.N, p.K, p.OH, p.OW], 40);
        Tensor Bw(Tensor x, Tensor dy) => new Conv2dBackwardWeightOp(p).Apply(x, dy);
        // adjoint identity against the loop convolution: ⟨BW(x, dy), G⟩ = ⟨dy, conv(x, G)⟩
        var gw = Rand(w0.Shape, 42);
        Assert.Equal(Dot(dy0.ToArray(), Reference(x0.ToArray(), gw.ToArray(), null, p)), Dot(Bw(x0, dy0).ToArray(), gw.ToArray()), 10);
        Passes(x => Bw(x, dy0), x0);
        Passes(dy => Bw(x0, dy), dy0);
        Passes(x => Bw(x, dy0 * x.Sum()), x0);
        Passes(dy => { var r = Bw(x0 * dy.Sum(), dy); return r * r; }, dy0);
    }

    [Fact]
    public void GradientMatchesLoopBackprop()
    {
        // x̄, w̄, bias̄ of Σ u·conv(x, w, b) from the engine against hand-accumulated loops
        var (x, w, b, o) = Inputs(0);
        var p = Tensor.ConvParams(x.Shape, w.Shape, o);
        var u = Rand([p.N, p.K, p.OH, p.OW], 50);
        var grads = Ad.Grad(t => (t[0].Conv2d(t[1], t[2], o) * u).Sum(), [x, w, b]);
        var (gx, gw, gb) = (new double[x.Length], new double[w.Length], new double[b.Length]);
        var (xs, ws, us) = (x.ToArray(), w.ToArray(), u.ToArray());
        foreach (var (xi, wi, yi, k) in Taps(p)) { gx[xi] += us[yi] * ws[wi]; gw[wi] += us[yi] * xs[xi]; }
        for (int i = 0; i < us.Length; i++) gb[i / (p.OH * p.OW) % p.K] += us[i];
        Close(gx, grads[0].ToArray(), 1e-12, 1e-12, "x̄");
        Close(gw, grads[1].ToArray(), 1e-12, 1e-12, "w̄");
        Close(gb, grads[2].ToArray(), 1e-12, 1e-12, "bias̄");
    }

    [Fact]
    public void InvalidShapesThrow()
    {
        Assert.Throws<ArgumentException>(() => Rand([1, 3, 5, 5], 1).Conv2d(Rand([4, 2, 3, 3], 2)));
        Assert.Throws<ArgumentException>(() => Rand([1, 4, 5, 5], 1).Conv2d(Rand([3, 2, 3, 3], 2), options: new(Groups: 2)));
        Assert.Throws<ArgumentException>(() => Rand([1, 2, 2, 2], 1).Conv2d(Rand([3, 2, 3, 3], 2)));
        Assert.Throws<ArgumentException>(() => Rand([1, 2, 5, 5], 1).Conv2d(Rand([3, 2, 3, 3], 2), Rand([4], 3)));
    }

    // float32 against float64 on the same inputs: value and gradient within 1e-5 of the largest entry
    [Theory, MemberData(nameof(Cases))]
    public void Float32AgreesWithFloat64(int c)
    {
        var (x, w, b, o) = Inputs(c);
        static Tensor F32(Tensor t) => Tensor.FromDoubles(t.ToArray(), t.Shape, DType.Float32);
        var y64 = x.Conv2d(w, b, o).ToArray();
        var y32 = F32(x).Conv2d(F32(w), F32(b), o).ToArray();
        Close(y64, y32, 0, 1e-5 * y64.Max(Math.Abs), "float32 conv");
        Tensor Loss(Tensor[] t) { var y = t[0].Conv2d(t[1], t[2], o); return (y * y).Sum(); }
        var g64 = Ad.Grad(Loss, [x, w, b]);
        var g32 = Ad.Grad(Loss, [F32(x), F32(w), F32(b)]);
        for (int i = 0; i < 3; i++)
        {
            var e = g64[i].ToArray();
            Close(e, g32[i].ToArray(), 0, 1e-5 * e.Max(Math.Abs), $"float32 gradient {i}");
        }
    }

    // sizes that take the kernels' blocked / SIMD / parallel paths: values against loops (float64, 1e-10 relative
    // to the largest entry), float32 within 1e-5, and both backward ops by their adjoint identities
    [Theory]
    [InlineData(2, 16, 19, 21, 24, 3, 1, 1)]
    [InlineData(1, 32, 17, 18, 32, 3, 2, 32)]
    [InlineData(2, 24, 12, 13, 40, 1, 1, 1)]
    [InlineData(1, 16, 15, 15, 16, 5, 2, 4)]
    public void LargerShapesMatchLoops(int n, int ch, int h, int wd, int k, int ks, int stride, int groups)
    {
        var o = new Conv2dOptions(StrideH: stride, StrideW: stride, PadTop: ks / 2, PadLeft: ks / 2, PadBottom: ks / 2, PadRight: ks / 2, Groups: groups);
        var x = Rand([n, ch, h, wd], 1);
        var w = Rand([k, ch / groups, ks, ks], 2);
        var b = Rand([k], 3);
        var p = Tensor.ConvParams(x.Shape, w.Shape, o);
        var expected = Reference(x.ToArray(), w.ToArray(), b.ToArray(), p);
        double scale = expected.Max(Math.Abs);
        Close(expected, x.Conv2d(w, b, o).ToArray(), 0, 1e-10 * scale, "float64 conv");
        static Tensor F32(Tensor t) => Tensor.FromDoubles(t.ToArray(), t.Shape, DType.Float32);
        Close(expected, F32(x).Conv2d(F32(w), F32(b), o).ToArray(), 0, 1e-5 * scale, "float32 conv");
        var dy = Rand([p.N, p.K, p.OH, p.OW], 4);
        var bi = new Conv2dBackwardInputOp(p).Apply(dy, w).ToArray();
        var bw = new Conv2dBackwardWeightOp(p).Apply(x, dy).ToArray();
        var g = Rand(x.Shape, 5);
        var gw = Rand(w.Shape, 6);
        double lhs = Dot(dy.ToArray(), Reference(g.ToArray(), w.ToArray(), null, p));
        Assert.True(Math.Abs(Dot(bi, g.ToArray()) - lhs) <= 1e-9 * Math.Max(1, Math.Abs(lhs)), "backward-input adjoint identity");
        lhs = Dot(dy.ToArray(), Reference(x.ToArray(), gw.ToArray(), null, p));
        Assert.True(Math.Abs(Dot(bw, gw.ToArray()) - lhs) <= 1e-9 * Math.Max(1, Math.Abs(lhs)), "backward-weight adjoint identity");
        Close(bi, new Conv2dBackwardInputOp(p).Apply(F32(dy), F32(w)).ToArray(), 0, 1e-5 * bi.Max(Math.Abs), "float32 backward-input");
        Close(bw, new Conv2dBackwardWeightOp(p).Apply(F32(x), F32(dy)).ToArray(), 0, 1e-5 * bw.Max(Math.Abs), "float32 backward-weight");
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    /// <summary>(flat x index, flat w index, flat y index, output channel) of every tap that reads the input.</summary>
    private static IEnumerable<(int Xi, int Wi, int Yi, int K)> Taps(Conv2dParams p)
    {
        int cg = p.C / p.Groups, kg = p.K / p.Groups;
        for (int n = 0; n < p.N; n++)
            for (int k = 0; k < p.K; k++)
                for (int oh = 0; oh < p.OH; oh++)
                    for (int ow = 0; ow < p.OW; ow++)
                        for (int cc = 0; cc < cg; cc++)
                            for (int i = 0; i < p.KH; i++)
                                for (int j = 0; j < p.KW; j++)
                                {
                                    int ih = oh * p.StrideH - p.PadTop + i * p.DilationH, iw = ow * p.StrideW - p.PadLeft + j * p.DilationW;
                                    if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W) continue;
                                    int ch = k / kg * cg + cc;
                                    yield return (((n * p.C + ch) * p.H + ih) * p.W + iw, ((k * cg + cc) * p.KH + i) * p.KW + j,
                                        ((n * p.K + k) * p.OH + oh) * p.OW + ow, k);
                                }
    }

    /// <summary>conv(x, w) + bias by loops (no activation).</summary>
    internal static double[] Reference(double[] x, double[] w, double[]? bias, Conv2dParams p)
    {
        var y = new double[p.N * p.K * p.OH * p.OW];
        if (bias is not null)
            for (int i = 0; i < y.Length; i++) y[i] = bias[i / (p.OH * p.OW) % p.K];
        foreach (var (xi, wi, yi, _) in Taps(p)) y[yi] += x[xi] * w[wi];
        return y;
    }
}
