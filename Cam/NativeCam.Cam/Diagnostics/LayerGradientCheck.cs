using NativeCam.Cam.Probe;
using NativeCam.Engine;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Diagnostics;

/// <summary>One comparison of an exact derivative with its finite-difference estimate.</summary>
/// <param name="Name">What was compared, e.g. "gradient[v1]".</param>
/// <param name="RelativeError">|exact − estimate| / max(|exact|, |estimate|) (vector norms for vectors; 0 when both are 0).</param>
/// <param name="Tolerance">The largest relative error that passes.</param>
/// <param name="Passed">RelativeError ≤ Tolerance (false for NaN).</param>
public sealed record GradientCheckItem(string Name, double RelativeError, double Tolerance, bool Passed);

/// <summary>Settings of <see cref="LayerGradientCheck"/>.</summary>
/// <param name="Directions">K, the number of random unit directions v (and as many w for the symmetry check).</param>
/// <param name="Seed">Seed of the directions.</param>
/// <param name="Epsilon">
/// Relative step ε: the gradient is differenced with steps ±ε·‖A‖ along unit v, and g with steps ±ε·A, so every
/// perturbation has norm ε·‖A‖ whatever the activations' scale. 1e-5 keeps float64 rounding (≈1e-16·|u|/step) and
/// the O(step²) truncation error both far below 1e-6, and moves each element of A by a relative 1e-5 only, so a
/// ReLU or clamp is rarely crossed.
/// </param>
/// <param name="Tolerance">Largest passing relative error (default 1e-6: float64 differences typically agree to
/// 1e-8 or better, while a wrong derivative, even off by 0.1%, misses by far more).</param>
public sealed record LayerGradientCheckOptions(int Directions = 4, int Seed = 0, double Epsilon = 1e-5, double Tolerance = 1e-6)
{
    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Directions < 1 || Directions > 1000) throw new ArgumentException($"directions must be between 1 and 1000; got {Directions}");
        if (!(Epsilon > 0 && Epsilon < 1)) throw new ArgumentException($"epsilon must be in (0, 1); got {Epsilon}");
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance)) throw new ArgumentException($"tolerance must be finite and positive; got {Tolerance}");
    }
}

/// <summary>The outcome of a layer gradient check.</summary>
/// <param name="Layer">The target tensor.</param>
/// <param name="Utility">The scalar differentiated.</param>
/// <param name="Class">The class it is of.</param>
/// <param name="Epsilon">The relative step used.</param>
/// <param name="Checks">Every comparison.</param>
public sealed record LayerGradientCheckResult(string Layer, Utility Utility, int Class, double Epsilon, IReadOnlyList<GradientCheckItem> Checks)
{
    /// <summary>True when every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);
}

/// <summary>
/// Verifies, in float64, the derivatives a CAM method reads at a target layer against central finite differences
/// along K seeded random unit directions v over A's non-zero elements (zero activations sit on ReLU and clamp kinks):
/// (a) the gradient: ⟨g, v⟩ against (u(A + hv) − u(A − hv)) / 2h, h = ε‖A‖;
/// (b) H·A: ⟨v, H·A⟩ against ⟨v, d⟩ with d = (g(A + εA) − g(A − εA)) / 2ε, and the whole vector H·A against d;
/// (c) symmetry of the Hessian: ⟨w, H·v⟩ against ⟨v, H·w⟩ for K further random unit directions w.
/// </summary>
public static class LayerGradientCheck
{
    /// <summary>Probes <paramref name="model"/> (float64) at <paramref name="layer"/> and checks the derivatives.</summary>
    /// <param name="model">The model, imported with DType Float64.</param>
    /// <param name="input">[1, 3, H, W] float64.</param>
    /// <param name="layer">The target tensor's name.</param>
    /// <param name="utility">The scalar differentiated.</param>
    /// <param name="explainedClass">The class; null for the top-1.</param>
    /// <param name="options">Directions, seed, ε and tolerance.</param>
    public static LayerGradientCheckResult Run(Model model, Tensor input, string layer, Utility utility, int? explainedClass,
        LayerGradientCheckOptions? options = null)
    {
        var o = options ?? new LayerGradientCheckOptions();
        o.Validate();
        var (derivatives, c) = LayerDerivatives.Probe(model, input, layer, utility, explainedClass);
        return new LayerGradientCheckResult(layer, utility, c, o.Epsilon, Check(derivatives, o));
    }

    /// <summary>Runs checks (a), (b) and (c) on given derivatives.</summary>
    public static IReadOnlyList<GradientCheckItem> Check(LayerDerivatives d, LayerGradientCheckOptions? options = null)
    {
        var o = options ?? new LayerGradientCheckOptions();
        o.Validate();
        var a = d.Activations;
        var aValues = a.ToArray();
        double eps = o.Epsilon, norm = Math.Sqrt(Dot(aValues, aValues)), h = eps * (norm > 0 ? norm : 1);
        var rng = new Random(o.Seed);
        var v = Enumerable.Range(0, o.Directions).Select(_ => UnitDirection(aValues, a, rng)).ToArray();
        var w = Enumerable.Range(0, o.Directions).Select(_ => UnitDirection(aValues, a, rng)).ToArray();
        var checks = new List<GradientCheckItem>();
        GradientCheckItem Item(string name, double error) => new(name, error, o.Tolerance, error <= o.Tolerance);

        // (a) directional derivatives of u
        var g = d.Gradient.ToArray();
        for (int k = 0; k < v.Length; k++)
        {
            double fd = (d.Utility(a + v[k] * h) - d.Utility(a - v[k] * h)) / (2 * h);
            checks.Add(Item($"gradient[v{k + 1}]", Relative(Dot(g, v[k].ToArray()), fd)));
        }

        // (b) H·A against central differences of g along A
        var ha = d.HessianTimesActivations.ToArray();
        var gPlus = d.GradientAt(a * (1 + eps)).ToArray();
        var gMinus = d.GradientAt(a * (1 - eps)).ToArray();
        var diff = new double[gPlus.Length];
        for (int i = 0; i < diff.Length; i++) diff[i] = (gPlus[i] - gMinus[i]) / (2 * eps);
        for (int k = 0; k < v.Length; k++)
        {
            var vk = v[k].ToArray();
            checks.Add(Item($"hvp-A[v{k + 1}]", Relative(Dot(vk, ha), Dot(vk, diff))));
        }
        checks.Add(Item("hvp-A[full]", RelativeNorm(ha, diff)));

        // (c) ⟨w, H·v⟩ = ⟨v, H·w⟩
        for (int k = 0; k < v.Length; k++)
        {
            double whv = Dot(w[k].ToArray(), d.HessianTimes(a, v[k]).ToArray());
            double vhw = Dot(v[k].ToArray(), d.HessianTimes(a, w[k]).ToArray());
            checks.Add(Item($"symmetry[v{k + 1},w{k + 1}]", Relative(whv, vhw)));
        }
        return checks;
    }

    /// <summary>|x − y| / max(|x|, |y|); 0 when both are 0.</summary>
    public static double Relative(double x, double y)
    {
        double scale = Math.Max(Math.Abs(x), Math.Abs(y));
        return scale == 0 ? 0 : Math.Abs(x - y) / scale;
    }

    /// <summary>‖x − y‖ / max(‖x‖, ‖y‖); 0 when both are 0.</summary>
    public static double RelativeNorm(double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"vectors of {x.Length} and {y.Length} elements");
        double dd = 0, xx = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = x[i] - y[i];
            dd += e * e;
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        double scale = Math.Sqrt(Math.Max(xx, yy));
        return scale == 0 ? 0 : Math.Sqrt(dd) / scale;
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>
    /// A random unit direction over the non-zero elements of A: A ⊙ r / ‖A ⊙ r‖ with r standard Gaussian (plain
    /// Gaussian when A is all zero). Zero activations stay fixed because a ReLU's or a quantization clamp's kink sits
    /// exactly there (a channel that is zero everywhere pools to exactly the clamp's bound): the utility has no
    /// derivative along them for a difference to check. Each element moves by about ε of its own size.
    /// </summary>
    private static Tensor UnitDirection(double[] a, Tensor like, Random rng)
    {
        bool allZero = Array.TrueForAll(a, x => x == 0);
        var d = new double[a.Length];
        for (int i = 0; i < d.Length; i++)
            d[i] = (allZero ? 1 : a[i]) * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        double n = Math.Sqrt(Dot(d, d));
        for (int i = 0; i < d.Length; i++) d[i] /= n;
        return Tensor.FromDoubles(d, like.Shape, like.DType, like.Backend);
    }
}
