using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Tests;

/// <summary>Marks a test as the float64 gradient check (JVP, VJP, H·v) of an op type.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ChecksOpAttribute(Type op) : Attribute
{
    /// <summary>The op type checked.</summary>
    public Type Op { get; } = op;
}

/// <summary>Assertions over <see cref="GradientChecker"/>.</summary>
public static class GradCheckAssert
{
    /// <summary>Default tolerances: central differences with h = 1e-5 in float64 are good to ~1e-8 relative on smooth ops.</summary>
    public const double Rtol = 1e-6, Atol = 1e-8;

    /// <summary>Asserts that JVP, VJP and H·v of f at x pass within the tolerances, printing the report otherwise.</summary>
    public static GradCheckReport Passes(Func<Tensor, Tensor> f, Tensor x, double rtol = Rtol, double atol = Atol, int seed = 0, bool hvp = true)
    {
        var report = GradientChecker.Check(f, x, new GradCheckOptions(Seed: seed, CheckHvp: hvp));
        Assert.True(report.Passes(rtol, atol), $"gradient check failed: {report}");
        return report;
    }

    /// <summary>A seeded float64 tensor with entries uniform in [lo, hi).</summary>
    public static Tensor Rand(int[] shape, int seed, double lo = -1, double hi = 1) =>
        Tensor.Uniform(shape, seed, lo, hi, DType.Float64);

    /// <summary>A seeded float64 tensor whose entries keep at least <paramref name="gap"/> away from every kink in <paramref name="kinks"/>.</summary>
    public static Tensor RandAwayFrom(int[] shape, int seed, double[] kinks, double gap = 0.05, double lo = -2, double hi = 2)
    {
        var r = new Random(seed);
        var d = new double[Shapes.Product(shape)];
        for (int i = 0; i < d.Length; i++)
        {
            double v;
            do v = lo + (hi - lo) * r.NextDouble();
            while (kinks.Any(k => Math.Abs(v - k) < gap));
            d[i] = v;
        }
        return Tensor.FromArray(d, shape);
    }

    /// <summary>Asserts two arrays agree to |a − e| ≤ atol + rtol·|e|.</summary>
    public static void Close(double[] expected, double[] actual, double rtol, double atol, string what = "values")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }
}
