using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Autodiff;

/// <summary>
/// The guided rule of ReLU and Clip (and of the activations fused into convolutions): inside a
/// <see cref="GuidedBackprop"/> scope x̄ = [x active]·max(ȳ, 0), checked against plain float64 loops; values and
/// forward-mode tangents unchanged; H·v the directional derivative of the guided cotangent field.
/// </summary>
public class GuidedBackpropTests
{
    private static readonly Tensor X = RandAwayFrom([2, 3, 5], 1, [0, -0.5, 0.8]);
    private static readonly Tensor U = RandAwayFrom([2, 3, 5], 2, [0]);

    private static double[] Cotangent(Func<Tensor, Tensor> f, Tensor x, Tensor u) => Ad.Vjp(f, x, u).Cotangent.ToArray();

    [Fact]
    public void ReluPassesOnlyPositiveCotangentsToPositiveInputs()
    {
        var x = X.ToArray();
        var u = U.ToArray();
        var plain = x.Select((v, i) => v > 0 ? u[i] : 0).ToArray();
        var guided = x.Select((v, i) => v > 0 && u[i] > 0 ? u[i] : 0).ToArray();
        Assert.NotEqual(plain, guided); // the cotangent has both signs on active inputs
        Close(plain, Cotangent(t => t.Relu(), X, U), 0, 0, "plain");
        using (GuidedBackprop.Enable()) Close(guided, Cotangent(t => t.Relu(), X, U), 0, 0, "guided");
        Close(plain, Cotangent(t => t.Relu(), X, U), 0, 0, "after the scope");
    }

    [Fact]
    public void ClipPassesOnlyPositiveCotangentsInsideItsRange()
    {
        var x = X.ToArray();
        var u = U.ToArray();
        var guided = x.Select((v, i) => v > -0.5 && v < 0.8 && u[i] > 0 ? u[i] : 0).ToArray();
        using (GuidedBackprop.Enable()) Close(guided, Cotangent(t => t.Clip(-0.5, 0.8), X, U), 0, 0, "guided");
    }

    [Fact]
    public void ValuesAndTangentsAreUnchanged()
    {
        var v = Rand([2, 3, 5], 3);
        Tensor F(Tensor t) => (t.Relu() * t.Clip(-0.5, 0.8)).Tanh();
        var (y0, t0) = Ad.Jvp(F, X, v);
        using var scope = GuidedBackprop.Enable();
        var (y1, t1) = Ad.Jvp(F, X, v);
        Close(y0.ToArray(), y1.ToArray(), 0, 0, "value");
        Close(t0.ToArray(), t1.ToArray(), 0, 0, "tangent");
    }

    [Fact]
    public void ScopesNestAndRestore()
    {
        Assert.False(GuidedBackprop.Active);
        using (GuidedBackprop.Enable())
        {
            using (GuidedBackprop.Enable()) Assert.True(GuidedBackprop.Active);
            Assert.True(GuidedBackprop.Active);
        }
        Assert.False(GuidedBackprop.Active);
    }

    /// <summary>
    /// A two-layer dense ReLU net u = Σ c ⊙ relu(W2·relu(W1·x + b1) + b2): the guided cotangent of x by hand,
    /// gating each layer's cotangent before it reaches the next.
    /// </summary>
    [Fact]
    public void DenseChainMatchesHandWrittenGuidedBackprop()
    {
        const int n = 6, h = 5, o = 4;
        var w1 = Rand([h, n], 10); var b1 = Rand([h, 1], 11); var w2 = Rand([o, h], 12); var b2 = Rand([o, 1], 13);
        var c = Rand([o, 1], 14); var x0 = Rand([n, 1], 15);
        Tensor F(Tensor x) => (c * (w2.MatMul((w1.MatMul(x) + b1).Relu()) + b2).Relu()).Sum();
        double[] W1 = w1.ToArray(), B1 = b1.ToArray(), W2 = w2.ToArray(), B2 = b2.ToArray(), C = c.ToArray(), X0 = x0.ToArray();
        var z1 = new double[h];
        for (int i = 0; i < h; i++) { z1[i] = B1[i]; for (int j = 0; j < n; j++) z1[i] += W1[i * n + j] * X0[j]; }
        var z2 = new double[o];
        for (int i = 0; i < o; i++) { z2[i] = B2[i]; for (int j = 0; j < h; j++) z2[i] += W2[i * h + j] * Math.Max(z1[j], 0); }
        double[] Expected(bool guided)
        {
            double Gate(double z, double g) => z > 0 && (!guided || g > 0) ? g : 0;
            var g2 = Enumerable.Range(0, o).Select(i => Gate(z2[i], C[i])).ToArray();
            var g1 = new double[h];
            for (int j = 0; j < h; j++) { double s = 0; for (int i = 0; i < o; i++) s += W2[i * h + j] * g2[i]; g1[j] = Gate(z1[j], s); }
            var gx = new double[n];
            for (int j = 0; j < n; j++) for (int i = 0; i < h; i++) gx[j] += W1[i * n + j] * g1[i];
            return gx;
        }
        Close(Expected(false), Ad.Grad(F, x0).ToArray(), 1e-12, 1e-12, "plain");
        using var scope = GuidedBackprop.Enable();
        Close(Expected(true), Ad.Grad(F, x0).ToArray(), 1e-12, 1e-12, "guided");
        Assert.NotEqual(Expected(false), Expected(true));
    }

    public static TheoryData<ConvActivation, bool> FusedCases() => new()
    {
        { ConvActivation.Relu, false }, { ConvActivation.Relu, true }, { ConvActivation.Clip, false }, { ConvActivation.Clip, true },
    };

    /// <summary>Fused conv + ReLU/Clip (with or without a residual) back-propagates like conv, add, then the guided ReluOp/ClipOp.</summary>
    [Theory, MemberData(nameof(FusedCases))]
    public void FusedConvActivationsFollowTheGuidedRule(ConvActivation act, bool residual)
    {
        var o = new Conv2dOptions(PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var x0 = Rand([2, 3, 5, 4], 20);
        var w = Rand([4, 3, 3, 3], 21);
        var b = Rand([4], 22);
        var z = residual ? Rand([2, 4, 5, 4], 23) : null;
        var c = Rand([2, 4, 5, 4], 24);
        double lo = act == ConvActivation.Clip ? -0.3 : 0, hi = act == ConvActivation.Clip ? 0.7 : 0;
        Tensor Fused(Tensor x) => (c * x.FusedConv2d(w, b, z, o, act, lo, hi)).Sum();
        Tensor Unfused(Tensor x)
        {
            var u = x.Conv2d(w, b, o);
            if (z is not null) u += z;
            return (c * (act == ConvActivation.Relu ? u.Relu() : u.Clip(lo, hi))).Sum();
        }
        var plain = Ad.Grad(Fused, x0).ToArray();
        using var scope = GuidedBackprop.Enable();
        var expected = Ad.Grad(Unfused, x0).ToArray();
        var actual = Ad.Grad(Fused, x0).ToArray();
        Close(expected, actual, 1e-12, 1e-12, "guided fused vs unfused");
        Assert.True(expected.Zip(plain, (p, q) => Math.Abs(p - q)).Max() > 1e-3, "the guided rule changed nothing");
    }

    /// <summary>
    /// H·v inside a scope is the directional derivative of the guided cotangent field G(x): for
    /// u = Σ c·relu(x)², G(x) = [x &gt; 0]·max(2c·x, 0) = 2·max(c, 0)·relu(x), so H·v = 2·max(c, 0)·[x &gt; 0]·v; also
    /// compared with central differences of G.
    /// </summary>
    [Fact]
    public void HvpDifferentiatesTheGuidedCotangent()
    {
        var c = RandAwayFrom([2, 3, 5], 30, [0]);
        var v = Rand([2, 3, 5], 31);
        Tensor F(Tensor x) { var r = x.Relu(); return (c * r * r).Sum(); }
        using var scope = GuidedBackprop.Enable();
        var (g, hv) = Ad.GradAndHvp(F, X, v);
        double[] C = c.ToArray(), Xa = X.ToArray(), V = v.ToArray();
        Close(Xa.Select((x, i) => 2 * Math.Max(C[i], 0) * Math.Max(x, 0)).ToArray(), g.ToArray(), 1e-12, 1e-12, "G");
        Close(Xa.Select((x, i) => x > 0 ? 2 * Math.Max(C[i], 0) * V[i] : 0).ToArray(), hv.ToArray(), 1e-12, 1e-12, "H·v");
        const double e = 1e-6;
        var gp = Ad.Grad(F, X + v * e).ToArray();
        var gm = Ad.Grad(F, X - v * e).ToArray();
        Close(gp.Zip(gm, (p, q) => (p - q) / (2 * e)).ToArray(), hv.ToArray(), 1e-6, 1e-8, "central differences");
    }
}
