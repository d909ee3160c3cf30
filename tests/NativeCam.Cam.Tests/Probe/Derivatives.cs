using NativeCam.Engine;
using NativeCam.Importers.Onnx;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Probe;

/// <summary>Finite differences of the utility of the head alone, written in plain double arithmetic.</summary>
public sealed class Derivatives(Model model, string layer, IReadOnlyDictionary<string, Tensor> sides, int[] classes, string utility)
{
    public double[] Logits(double[] a, int[] shape)
    {
        var given = new Dictionary<string, Tensor>(sides) { [layer] = Tensor.FromDoubles(a, shape, model.DType) };
        return model.Evaluate(given, [model.OutputName])[model.OutputName].ToArray();
    }

    /// <summary>Σₙ u(oₙ).</summary>
    public double U(double[] a, int[] shape)
    {
        var o = Logits(a, shape);
        int n = classes.Length, k = o.Length / n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = o.AsSpan(i * k, k).ToArray();
            double max = row.Max(), lse = max + Math.Log(row.Sum(v => Math.Exp(v - max))), oc = row[classes[i]];
            total += utility switch { "logit" => oc, "rest" => 2 * oc - lse, _ => throw new ArgumentException(utility) };
        }
        return total;
    }

    private static double[] Axpy(double[] a, double s1, double[] v1, double s2, double[] v2) =>
        a.Select((x, i) => x + s1 * v1[i] + s2 * v2[i]).ToArray();

    /// <summary>vᵀ∇f by central differences.</summary>
    public double Directional(double[] a, int[] shape, double[] v, double eps) =>
        (U(Axpy(a, eps, v, 0, v), shape) - U(Axpy(a, -eps, v, 0, v), shape)) / (2 * eps);

    /// <summary>vᵀ H w by a mixed central second difference.</summary>
    public double Second(double[] a, int[] shape, double[] v, double[] w, double eps) =>
        (U(Axpy(a, eps, v, eps, w), shape) - U(Axpy(a, eps, v, -eps, w), shape)
         - U(Axpy(a, -eps, v, eps, w), shape) + U(Axpy(a, -eps, v, -eps, w), shape)) / (4 * eps * eps);

    public static double Dot(double[] a, double[] b) => a.Select((x, i) => x * b[i]).Sum();

    public static double[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
    }

    public static double[] Unit(int n, int i)
    {
        var e = new double[n];
        e[i] = 1;
        return e;
    }
}
