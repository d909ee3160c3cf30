using System.Diagnostics;
using NativeCam.Cam;
using NativeCam.Engine;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.GpuCheck;

/// <summary>One model's comparison of the backend under test with the CPU backend.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="LogitsError">max |device − cpu| / max |cpu| over the logits.</param>
/// <param name="MapError">The same over the ShapleyCAM map (the class the CPU explained, on both).</param>
/// <param name="Seconds">Time of the comparison (imports included).</param>
/// <param name="Error">Why the comparison could not run (null when it ran).</param>
public sealed record ModelComparisonResult(string Model, double LogitsError, double MapError, double Seconds, string? Error)
{
    /// <summary>True when it ran and both errors are within <paramref name="tolerance"/>.</summary>
    public bool Passed(double tolerance) => Error is null && LogitsError <= tolerance && MapError <= tolerance;
}

/// <summary>
/// The models on the backend under test against the SIMD CPU backend: logits, and the ShapleyCAM map (ReST utility,
/// the model's automatic or the manifest's target layer) for the same input and class. Errors are relative to the
/// largest |value| of the CPU result, so they read as a fraction of the result's scale.
/// </summary>
public static class ModelComparison
{
    /// <summary>Compares one model.</summary>
    public static ModelComparisonResult Compare(CheckModel m, IKernels device)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var cpu = new CpuKernels(threads: Environment.ProcessorCount);
            float[] x = m.Input();
            var (cpuLogits, cpuMap, classes) = Run(m, cpu, x, null);
            var (devLogits, devMap, _) = Run(m, device, x, classes);
            return new ModelComparisonResult(m.Name, RelativeError(cpuLogits, devLogits), RelativeError(cpuMap, devMap), clock.Elapsed.TotalSeconds, null);
        }
        catch (Exception e)
        {
            return new ModelComparisonResult(m.Name, double.NaN, double.NaN, clock.Elapsed.TotalSeconds, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static (float[] Logits, float[] Map, int[] Classes) Run(CheckModel m, IKernels backend, float[] x, int[]? classes)
    {
        var model = m.Load(backend);
        using var input = Tensor.FromArray(x, m.InputShape, backend);
        float[] logits;
        using (var y = model.Run(input)) logits = y.ToFloatArray();
        var options = new ExplainOptions { Methods = ["shapleycam"], Layers = m.Layer is null ? [] : [m.Layer], Classes = classes };
        var e = new Explainer(model).Explain(input, options);
        return (logits, e.Methods[0].Maps[0], e.Classes);
    }

    /// <summary>max |b − a| / max |a| (NaN anywhere, or different lengths: +∞).</summary>
    public static double RelativeError(float[] reference, float[] actual)
    {
        if (reference.Length != actual.Length) return double.PositiveInfinity;
        double scale = 0, diff = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            double a = reference[i], b = actual[i];
            if (double.IsNaN(a) || double.IsNaN(b)) return double.PositiveInfinity;
            scale = Math.Max(scale, Math.Abs(a));
            diff = Math.Max(diff, Math.Abs(b - a));
        }
        return diff == 0 ? 0 : scale == 0 ? double.PositiveInfinity : diff / scale;
    }
}
