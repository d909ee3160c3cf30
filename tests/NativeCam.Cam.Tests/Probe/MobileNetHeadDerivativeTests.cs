using NativeCam.Cam.Probe;
using NativeCam.Cam.Tests.Methods;
using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Probe;

/// <summary>MobileNetV2 in float64, probed at '627' with ReST.</summary>
public sealed class MobileNet64Fixture
{
    public MobileNet64Fixture()
    {
        Model = OnnxModel.Load(TestData.FloatModel, new OnnxImportOptions { DType = DType.Float64 });
        var x = Tensor.Uniform([1, 3, 224, 224], 9, -2, 2, DType.Float64);
        Result = new LayerProbe(Model).Run(x, [MobileNetFixture.Layer], Utility.Rest);
        Signals = Result.Layers[0];
        Fd = new Derivatives(Model, MobileNetFixture.Layer, Signals.SideInputs, Result.Classes, "rest");
    }

    public Model Model { get; }
    public ProbeResult Result { get; }
    public LayerSignals Signals { get; }
    public Derivatives Fd { get; }
}

public class MobileNetHeadDerivativeTests(MobileNet64Fixture f) : IClassFixture<MobileNet64Fixture>
{
    private double[] A => f.Signals.Activations.ToArray();
    private int[] Shape => f.Signals.Activations.Shape;

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var g = f.Signals.Gradients.ToArray();
        for (int seed = 0; seed < 3; seed++)
        {
            var v = Derivatives.Random(g.Length, seed);
            double fd = f.Fd.Directional(A, Shape, v, 1e-5), exact = Derivatives.Dot(g, v);
            Assert.True(Math.Abs(fd - exact) < 1e-7 * (1 + Math.Abs(exact)), $"{fd} vs {exact}");
        }
        foreach (int i in new[] { 0, 49 * 100 + 3, 49 * 1279 + 48 })
        {
            double fd = f.Fd.Directional(A, Shape, Derivatives.Unit(g.Length, i), 1e-5);
            Assert.True(Math.Abs(fd - g[i]) < 1e-8, $"g[{i}]: {fd} vs {g[i]}");
        }
    }

    [Fact]
    public void HessianTimesActivationMatchesSecondDifferences()
    {
        var a = A;
        var ha = f.Signals.HessianTimesActivations!.ToArray();
        double scale = ha.Max(Math.Abs);
        Assert.True(scale > 1e-8);
        for (int seed = 10; seed < 12; seed++)
        {
            var v = Derivatives.Random(a.Length, seed);
            double fd = f.Fd.Second(a, Shape, v, a, 1e-3), exact = Derivatives.Dot(ha, v);
            Assert.True(Math.Abs(fd - exact) < 1e-5 * (Math.Abs(exact) + scale), $"{fd} vs {exact}");
        }
        // one element: (H·A)_i = e_iᵀ H A
        int i = Array.IndexOf(ha, ha.MaxBy(Math.Abs));
        double fdi = f.Fd.Second(a, Shape, Derivatives.Unit(a.Length, i), a, 1e-3);
        Assert.True(Math.Abs(fdi - ha[i]) < 1e-5 * scale, $"(H·A)[{i}]: {fdi} vs {ha[i]}");
    }

    [Fact]
    public void PiecewiseLinearClosedForm()
    {
        // H·A = −Jᵀ[(diag p − ppᵀ)(J·A)] and g = Jᵀ(2e_c − p), J the head's Jacobian (Ad.Jvp / Ad.Vjp of the head)
        var a = f.Signals.Activations;
        var model = f.Model;
        Tensor Head(Tensor z) => model.Executor.Evaluate(new Dictionary<string, Tensor> { [MobileNetFixture.Layer] = z }, [model.OutputName])[model.OutputName];
        var (logits, ja) = Ad.Jvp(Head, a, a);
        var o = logits.ToArray();
        var jaV = ja.ToArray();
        double max = o.Max();
        var e = o.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        var p = e.Select(v => v / sum).ToArray();
        double pja = Derivatives.Dot(p, jaV);
        var w = p.Select((pk, k) => -(pk * jaV[k] - pk * pja)).ToArray();
        var (_, ha) = Ad.Vjp(Head, a, Tensor.FromDoubles(w, logits.Shape, DType.Float64));
        int c = f.Result.Classes[0];
        var gu = p.Select((pk, k) => (k == c ? 2 : 0) - pk).ToArray();
        var (_, g) = Ad.Vjp(Head, a, Tensor.FromDoubles(gu, logits.Shape, DType.Float64));
        Assert.True(Reference.RelErr(f.Signals.HessianTimesActivations!.ToArray(), ha.ToArray()) < 1e-10);
        Assert.True(Reference.RelErr(f.Signals.Gradients.ToArray(), g.ToArray()) < 1e-10);
    }
}
