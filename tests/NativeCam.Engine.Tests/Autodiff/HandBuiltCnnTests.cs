using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Autodiff;

/// <summary>
/// A small CNN built by hand — conv → batch-norm → ReLU → max-pool → depthwise conv → SiLU → conv → global-avg-pool →
/// linear → utility — probed at the activation A after the first ReLU the way ShapleyCAM needs it: g = ∂u/∂A and
/// H·A from one forward-over-reverse sweep through the head only.
/// </summary>
public class HandBuiltCnnTests
{
    private sealed class Net(DType dtype)
    {
        private Tensor P(int[] shape, int seed, double lo = -0.5, double hi = 0.5) => Cast(Rand(shape, seed, lo, hi));
        public Tensor Cast(Tensor t) => dtype == DType.Float64 ? t : Tensor.FromArray(t.ToFloatArray(), t.Shape);
        public readonly Tensor Input = Rand([2, 3, 12, 12], 100);
        public Tensor W1 => P([8, 3, 3, 3], 1);
        public Tensor B1 => P([8], 2);
        public Tensor Gamma => P([8], 3, 0.5, 1.5);
        public Tensor Beta => P([8], 4, 0.0, 0.5);
        public Tensor Mean => P([8], 5, -0.2, 0.2);
        public Tensor Var => P([8], 6, 0.5, 1.5);
        public Tensor W2 => P([8, 1, 3, 3], 7, -1, 1);
        public Tensor B2 => P([8], 8);
        public Tensor W3 => P([16, 8, 1, 1], 9, -1, 1);
        public Tensor B3 => P([16], 10);
        public Tensor Wfc => P([10, 16], 11, -1, 1);
        public Tensor Bfc => P([10], 12);

        /// <summary>The activation after the first ReLU, [2, 8, 12, 12].</summary>
        public Tensor Trunk() =>
            Cast(Input).Conv2d(W1, B1, new Conv2dOptions(PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1))
                .BatchNorm(Gamma, Beta, Mean, Var, 1e-5).Relu();

        /// <summary>Logits [2, 10] from A; <paramref name="smooth"/> picks SiLU (else ReLU, a piecewise-linear head).</summary>
        public Tensor Head(Tensor a, bool smooth = true)
        {
            var h = a.MaxPool2d(2, 2, new Pool2dOptions(StrideH: 2, StrideW: 2))
                .Conv2d(W2, B2, new Conv2dOptions(PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 8));
            h = smooth ? h.Silu() : h.Relu();
            h = h.Conv2d(W3, B3).GlobalAvgPool().Reshape(2, 16);
            return Tensor.Gemm(h, Wfc, Bfc, transB: true);
        }
    }

    /// <summary>One-hot [2, 10] of each image's top-1 class.</summary>
    private static Tensor OneHot(Tensor logits)
    {
        var o = logits.ToArray();
        var oh = new double[o.Length];
        for (int n = 0; n < 2; n++)
        {
            int best = 0;
            for (int k = 1; k < 10; k++) if (o[n * 10 + k] > o[n * 10 + best]) best = k;
            oh[n * 10 + best] = 1;
        }
        return Tensor.FromDoubles(oh, [2, 10], logits.DType);
    }

    /// <summary>ReST summed over images: Σₙ 2·o[n, cₙ] − logsumexp(o[n]).</summary>
    private static Tensor Rest(Tensor o, Tensor oneHot) => (o * oneHot).Sum() * 2.0 - o.LogSumExp(1).Sum();

    private static Tensor Logit(Tensor o, Tensor oneHot) => (o * oneHot).Sum();

    [Fact]
    public void GradientAndHessianTimesActivationMatchFiniteDifferences()
    {
        var net = new Net(DType.Float64);
        var a = net.Trunk();
        var oneHot = OneHot(net.Head(a));
        Tensor U(Tensor z) => Rest(net.Head(z), oneHot);
        var (g, ha) = Ad.GradAndHvp(U, a, a);

        // H·A against central differences of the gradient along A (scaling A keeps every ReLU mask and max-pool argmax)
        const double h = 1e-5;
        var gp = Ad.Grad(U, a * (1 + h)).ToArray();
        var gm = Ad.Grad(U, a * (1 - h)).ToArray();
        var fd = gp.Zip(gm, (p, m) => (p - m) / (2 * h)).ToArray();
        Close(fd, ha.ToArray(), 1e-6, 1e-9 * fd.Max(Math.Abs), "H·A vs finite differences");
        Assert.True(ha.ToArray().Max(Math.Abs) > 1e-3, "H·A should not vanish with ReST and a SiLU head");

        // g against central differences of u, element by element on a sample of positive activations
        var av = a.ToArray();
        var gv = g.ToArray();
        var rng = new Random(3);
        for (int s = 0; s < 25; s++)
        {
            int i;
            do i = rng.Next(av.Length); while (av[i] <= 0.05);
            var e = new double[av.Length];
            e[i] = 1e-5;
            var step = Tensor.FromArray(e, a.Shape);
            double d = (U(a + step).Item() - U(a - step).Item()) / 2e-5;
            Assert.True(Math.Abs(d - gv[i]) <= 1e-6 * Math.Max(1e-3, Math.Abs(d)) + 1e-9, $"g[{i}] = {gv[i]}, finite difference {d}");
        }
    }

    [Fact]
    public void PiecewiseLinearHeadMatchesTheClosedForm()
    {
        var net = new Net(DType.Float64);
        var a = net.Trunk();
        Tensor Head(Tensor z) => net.Head(z, smooth: false);
        var logits = Head(a);
        var oneHot = OneHot(logits);
        var (g, ha) = Ad.GradAndHvp(z => Rest(Head(z), oneHot), a, a);

        // closed form (shapleycam.md §2): g = Jᵀ(2e_c − p), H·A = −Jᵀ[(diag p − ppᵀ)(J·A)], J at the real activation
        var p = logits.Softmax(1);
        var (_, ja) = Ad.Jvp(Head, a, a);
        var r = p * ja - p * (p * ja).Sum([1], keepDims: true);
        var (_, expectedHa) = Ad.Vjp(Head, a, -r);
        var (_, expectedG) = Ad.Vjp(Head, a, oneHot * 2.0 - p);
        Close(expectedG.ToArray(), g.ToArray(), 1e-10, 1e-13, "g vs Jᵀ(2e_c − p)");
        Close(expectedHa.ToArray(), ha.ToArray(), 1e-10, 1e-13, "H·A vs closed form");
        Assert.True(ha.ToArray().Max(Math.Abs) > 1e-3);

        // with the logit utility the piecewise-linear head has no curvature: H·A = 0
        var (gl, hal) = Ad.GradAndHvp(z => Logit(Head(z), oneHot), a, a);
        Assert.True(hal.ToArray().Max(Math.Abs) <= 1e-12 * gl.ToArray().Max(Math.Abs), "logit utility on a piecewise-linear head must give H·A = 0");
    }

    [Fact]
    public void Float32AgreesWithFloat64()
    {
        (double[] G, double[] Ha) Probe(DType t)
        {
            var net = new Net(t);
            var a = net.Trunk();
            var oneHot = OneHot(net.Head(a));
            var (g, ha) = Ad.GradAndHvp(z => Rest(net.Head(z), oneHot), a, a);
            return (g.ToArray(), ha.ToArray());
        }
        var (g64, h64) = Probe(DType.Float64);
        var (g32, h32) = Probe(DType.Float32);
        // float32 accumulates ~1e-7 relative per op through ~10 ops: 1e-4 of the largest entry is ample and still tight
        Close(g64, g32, 0, 1e-4 * g64.Max(Math.Abs), "float32 g");
        Close(h64, h32, 0, 1e-4 * h64.Max(Math.Abs), "float32 H·A");
    }
}
