using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>
/// FusedConv2d (conv + bias + residual + activation in one op): values against the unfused ops, and float64
/// gradient checks of the op's own JVP, VJP and H·v rules for every activation, with and without a residual.
/// </summary>
public class FusedConvGradTests
{
    private static readonly (string Name, int[] X, int[] W, Conv2dOptions O)[] Geometries =
    [
        ("3x3 stride 2 asymmetric pads, batch 2", [2, 3, 7, 6], [4, 3, 3, 3], new(StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 0, PadBottom: 2, PadRight: 1)),
        ("depthwise, stride (1, 2)", [1, 3, 5, 6], [3, 1, 3, 3], new(StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3)),
        ("1x1", [2, 3, 4, 5], [5, 3, 1, 1], new()),
    ];

    private static readonly (ConvActivation Act, double Alpha, double Beta, double[] Kinks)[] Activations =
    [
        (ConvActivation.None, 0, 0, []),
        (ConvActivation.Relu, 0, 0, [0]),
        (ConvActivation.Clip, -0.5, 0.8, [-0.5, 0.8]),
        (ConvActivation.LeakyRelu, 0.1, 0, [0]),
        (ConvActivation.HardSwish, 0, 0, [-3, 3]),
        (ConvActivation.Silu, 0, 0, []),
    ];

    public static TheoryData<int, int, bool, bool> Cases()
    {
        var d = new TheoryData<int, int, bool, bool>();
        for (int g = 0; g < Geometries.Length; g++)
            for (int a = 0; a < Activations.Length; a++)
            {
                d.Add(g, a, true, true);
                d.Add(g, a, g != 1, false); // depthwise without bias
            }
        d.Add(2, 1, false, true);
        return d;
    }

    /// <summary>The unfused reference: Conv2d, add, then the activation op.</summary>
    private static Tensor Unfused(Tensor x, Tensor w, Tensor? b, Tensor? z, Conv2dOptions o, int a)
    {
        var (act, alpha, beta, _) = Activations[a];
        var u = x.Conv2d(w, b, o);
        if (z is not null) u += z;
        return act switch
        {
            ConvActivation.None => u,
            ConvActivation.Relu => u.Relu(),
            ConvActivation.Clip => u.Clip(alpha, beta),
            ConvActivation.LeakyRelu => u.LeakyRelu(alpha),
            ConvActivation.HardSwish => u.HardSwish(),
            _ => u.Silu(),
        };
    }

    /// <summary>Inputs whose pre-activations keep ≥ 1e-3 from the activation's kinks, scaled so both sides occur.</summary>
    private static (Tensor X, Tensor W, Tensor B, Tensor Z) Inputs(int g, int a)
    {
        var (_, xs, ws, o) = Geometries[g];
        var kinks = Activations[a].Kinks;
        double scale = Activations[a].Act == ConvActivation.HardSwish ? 3 : 1;
        var p = Tensor.ConvParams(xs, ws, o);
        for (int seed = 0; ; seed++)
        {
            var x = Rand(xs, 10 + seed, -scale, scale);
            var w = Rand(ws, 20 + seed);
            var b = Rand([ws[0]], 30 + seed);
            var z = Rand([p.N, p.K, p.OH, p.OW], 40 + seed);
            var pre = (x.Conv2d(w, b, o) + z).ToArray();
            if (pre.All(v => kinks.All(k => Math.Abs(v - k) > 1e-3)) && kinks.All(k => pre.Any(v => v < k) && pre.Any(v => v > k)))
                return (x, w, b, z);
            Assert.True(seed < 200, "no seed keeps the pre-activations off the kinks");
        }
    }

    private static FusedConv2dOp Op(int g, int a, bool bias, bool residual)
    {
        var (_, xs, ws, o) = Geometries[g];
        var (act, alpha, beta, _) = Activations[a];
        return new FusedConv2dOp(Tensor.ConvParams(xs, ws, o), act, alpha, beta, bias, residual);
    }

    private static Tensor Apply(FusedConv2dOp op, Tensor x, Tensor w, Tensor b, Tensor z, bool bias, bool residual) =>
        (bias, residual) switch
        {
            (true, true) => op.Apply(x, w, b, z),
            (true, false) => op.Apply(x, w, b),
            (false, true) => op.Apply(x, w, z),
            _ => op.Apply(x, w),
        };

    [Theory, MemberData(nameof(Cases))]
    public void ValuesMatchTheUnfusedOps(int g, int a, bool bias, bool residual)
    {
        var (x, w, b, z) = Inputs(g, a);
        var expected = Unfused(x, w, bias ? b : null, residual ? z : null, Geometries[g].O, a).ToArray();
        Close(expected, Apply(Op(g, a, bias, residual), x, w, b, z, bias, residual).ToArray(), 1e-13, 1e-13, "op");
        var (act, alpha, beta, _) = Activations[a];
        Close(expected, x.FusedConv2d(w, bias ? b : null, residual ? z : null, Geometries[g].O, act, alpha, beta).ToArray(), 1e-13, 1e-13, "Tensor.FusedConv2d");
        // float32 agrees with the float32 unfused ops to rounding
        static Tensor F(Tensor t) => Tensor.FromDoubles(t.ToArray(), t.Shape, DType.Float32);
        var f = Unfused(F(x), F(w), bias ? F(b) : null, residual ? F(z) : null, Geometries[g].O, a).ToArray();
        Close(f, Apply(Op(g, a, bias, residual), F(x), F(w), F(b), F(z), bias, residual).ToArray(), 1e-5, 1e-5, "float32");
    }

    // tolerances: float64 central differences, rtol 1e-6 / atol 1e-8 (defaults)
    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(FusedConv2dOp))]
    public void GradientsOfEveryInput(int g, int a, bool bias, bool residual)
    {
        var (x0, w0, b0, z0) = Inputs(g, a);
        var op = Op(g, a, bias, residual);
        Passes(x => Apply(op, x, w0, b0, z0, bias, residual), x0);
        Passes(w => Apply(op, x0, w, b0, z0, bias, residual), w0);
        if (bias) Passes(b => Apply(op, x0, w0, b, z0, bias, residual), b0);
        if (residual) Passes(z => Apply(op, x0, w0, b0, z, bias, residual), z0);
        // the variable in several operands at once: mixed second derivatives
        Passes(x => { var y = Apply(op, x, w0, b0, residual ? z0 + x.Sum() : z0, bias, residual); return y * y; }, x0);
    }

    [Theory, MemberData(nameof(Cases))]
    public void TensorApiGradientsMatchTheUnfusedOps(int g, int a, bool bias, bool residual)
    {
        var (x0, w0, b0, z0) = Inputs(g, a);
        var (act, alpha, beta, _) = Activations[a];
        var o = Geometries[g].O;
        Tensor Loss(Tensor y) => (y * y).Sum();
        var fused = Ad.GradAndHvp(x => Loss(x.FusedConv2d(w0, bias ? b0 : null, residual ? z0 : null, o, act, alpha, beta)), x0, x0);
        var plain = Ad.GradAndHvp(x => Loss(Unfused(x, w0, bias ? b0 : null, residual ? z0 : null, o, a)), x0, x0);
        Close(plain.Grad.ToArray(), fused.Grad.ToArray(), 1e-12, 1e-12, "g");
        Close(plain.Hv.ToArray(), fused.Hv.ToArray(), 1e-12, 1e-12, "H·v");
    }
}
