using NativeCam.Cam.Diagnostics;
using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Engine.Graph;
using NativeCam.Importers;

namespace NativeCam.Cam.Tests.Diagnostics;

/// <summary>The embedded int8 MobileNetV2 imported in float64, a seeded input, and its derivatives at the auto layer.</summary>
public sealed class EmbeddedModel64Fixture
{
    public EmbeddedModel64Fixture()
    {
        Model = DefaultModel.Load(new OnnxImportOptions { DType = DType.Float64 });
        Input = Tensor.Uniform(Model.InputShape, 5, -2, 2, DType.Float64);
        Layer = LayerSelection.Auto(Model);
        (Derivatives, Class) = LayerDerivatives.Probe(Model, Input, Layer, Utility.Rest, null);
    }

    public Model Model { get; }
    public Tensor Input { get; }
    public string Layer { get; }
    public LayerDerivatives Derivatives { get; }
    public int Class { get; }
}

public class LayerGradientCheckTests(EmbeddedModel64Fixture f) : IClassFixture<EmbeddedModel64Fixture>
{
    private static readonly LayerGradientCheckOptions Two = new(Directions: 2, Seed: 1);

    [Fact]
    public void EmbeddedModelPassesEveryCheck()
    {
        var checks = LayerGradientCheck.Check(f.Derivatives, Two);
        // 2 gradient, 2 projected H·A, the full H·A, 2 symmetry
        Assert.Equal(7, checks.Count);
        Assert.All(checks, c => Assert.True(c.Passed, $"{c.Name}: {c.RelativeError:E2}"));
        Assert.All(checks, c => Assert.True(c.RelativeError < 1e-7, $"{c.Name}: {c.RelativeError:E2}"));
        Assert.Contains(f.Derivatives.Gradient.ToArray(), v => v != 0);
        Assert.Contains(f.Derivatives.HessianTimesActivations.ToArray(), v => v != 0);
    }

    [Fact]
    public void ProbeReportsTheTopOneClassAndTheGivenClass()
    {
        var logits = f.Model.Run(f.Input).ToArray();
        Assert.Equal(Array.IndexOf(logits, logits.Max()), f.Class);
        var (_, c) = LayerDerivatives.Probe(f.Model, f.Input, f.Layer, Utility.Rest, 3);
        Assert.Equal(3, c);
    }

    [Fact]
    public void GradientOffByATenthOfAPercentFails()
    {
        var wrong = f.Derivatives with { Gradient = f.Derivatives.Gradient * 1.001 };
        var checks = LayerGradientCheck.Check(wrong, Two);
        Assert.All(checks.Where(c => c.Name.StartsWith("gradient")), c => Assert.False(c.Passed, c.Name));
        Assert.All(checks.Where(c => !c.Name.StartsWith("gradient")), c => Assert.True(c.Passed, c.Name));
    }

    [Fact]
    public void WrongHessianTimesActivationFails()
    {
        var wrong = f.Derivatives with { HessianTimesActivations = f.Derivatives.HessianTimesActivations * 0.99 };
        var checks = LayerGradientCheck.Check(wrong, Two);
        Assert.All(checks.Where(c => c.Name.StartsWith("hvp-A")), c => Assert.False(c.Passed, c.Name));
        Assert.All(checks.Where(c => !c.Name.StartsWith("hvp-A")), c => Assert.True(c.Passed, c.Name));
    }

    [Fact]
    public void NonSymmetricHessianFails()
    {
        // H' = H + s·P with P a cyclic shift of the elements (not symmetric), s of the size of H's action
        var d = f.Derivatives;
        double s = Norm(d.HessianTimesActivations.ToArray()) / Norm(d.Activations.ToArray());
        Tensor Skewed(Tensor z, Tensor v)
        {
            var x = v.ToArray();
            var shifted = x.Select((_, i) => x[(i + 1) % x.Length]).ToArray();
            return d.HessianTimes(z, v) + Tensor.FromDoubles(shifted, v.Shape, DType.Float64) * s;
        }
        var checks = LayerGradientCheck.Check(d with { HessianTimes = Skewed }, Two);
        Assert.All(checks.Where(c => c.Name.StartsWith("symmetry")), c => Assert.False(c.Passed, c.Name));
    }

    [Fact]
    public void RunNamesTheLayerClassAndStep()
    {
        var r = LayerGradientCheck.Run(f.Model, f.Input, f.Layer, Utility.Logit, 7, new LayerGradientCheckOptions(Directions: 1, Epsilon: 2e-5));
        Assert.Equal((f.Layer, Utility.Logit, 7, 2e-5), (r.Layer, r.Utility, r.Class, r.Epsilon));
        Assert.True(r.Passed, string.Join("; ", r.Checks.Select(c => $"{c.Name} {c.RelativeError:E2}")));
    }

    [Fact]
    public void Float32ModelIsRejected()
    {
        var x = Tensor.Uniform(f.Model.InputShape, 1, -1, 1);
        Assert.Throws<ArgumentException>(() => LayerDerivatives.Probe(f.Model, x, f.Layer, Utility.Rest, null));
    }

    [Fact]
    public void RelativeErrorsAreSymmetricAndScaleFree()
    {
        Assert.Equal(0, LayerGradientCheck.Relative(0, 0));
        Assert.Equal(0.5, LayerGradientCheck.Relative(1, 2), 15);
        Assert.Equal(0.5, LayerGradientCheck.Relative(2e-9, 1e-9), 15);
        Assert.Equal(1.0, LayerGradientCheck.RelativeNorm([3, 4], [0, 0]), 15);
        Assert.Equal(1 / Math.Sqrt(34), LayerGradientCheck.RelativeNorm([3, 4], [3, 5]), 15);
    }

    private static double Norm(double[] x) => Math.Sqrt(x.Sum(v => v * v));
}

public class FixtureModelGradientCheckTests
{
    [Fact]
    public void ResNet18FixturePassesAtItsAutoLayer()
    {
        var model = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"), new OnnxImportOptions { DType = DType.Float64 });
        var input = Tensor.Uniform(model.InputShape, 11, -2, 2, DType.Float64);
        var r = LayerGradientCheck.Run(model, input, LayerSelection.Auto(model), Utility.Rest, null, new LayerGradientCheckOptions(Directions: 2, Seed: 4));
        Assert.True(r.Passed, string.Join("; ", r.Checks.Select(c => $"{c.Name} {c.RelativeError:E2}")));
        Assert.Equal(7, r.Checks.Count);
    }
}
