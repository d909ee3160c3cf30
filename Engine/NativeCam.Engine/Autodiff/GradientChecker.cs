using NativeCam.Kernels;

namespace NativeCam.Engine.Autodiff;

/// <summary>Options of <see cref="GradientChecker.Check"/>.</summary>
/// <param name="Seed">Seed of the random directions.</param>
/// <param name="Step">Central-difference step h (applied along unit-scale directions).</param>
/// <param name="CheckHvp">Also check H·v (of the scalar ⟨u, f(x)⟩).</param>
public sealed record GradCheckOptions(int Seed = 0, double Step = 1e-5, bool CheckHvp = true);

/// <summary>One comparison: the largest absolute error and that error relative to the size of the values compared.</summary>
public readonly record struct CheckError(double Absolute, double Relative)
{
    /// <summary>True when the error is within either tolerance.</summary>
    public bool Within(double rtol, double atol) => Absolute <= atol || Relative <= rtol;

    /// <inheritdoc/>
    public override string ToString() => $"abs {Absolute:E2}, rel {Relative:E2}";
}

/// <summary>What <see cref="GradientChecker.Check"/> measured.</summary>
/// <param name="Jvp">Forward mode J·v against central differences (f(x+hv) − f(x−hv))/2h.</param>
/// <param name="Vjp">Reverse mode by the dot-product identity ⟨u, J·v⟩ = ⟨Jᵀu, v⟩.</param>
/// <param name="Hvp">H·v (of s(x) = ⟨u, f(x)⟩) against central differences of ∇s; null when not checked.</param>
/// <param name="HvpSymmetry">⟨w, H·v⟩ against ⟨v, H·w⟩; null when not checked.</param>
public sealed record GradCheckReport(CheckError Jvp, CheckError Vjp, CheckError? Hvp, CheckError? HvpSymmetry)
{
    /// <summary>True when every check is within the tolerances.</summary>
    public bool Passes(double rtol, double atol) =>
        Jvp.Within(rtol, atol) && Vjp.Within(rtol, atol) &&
        (Hvp?.Within(rtol, atol) ?? true) && (HvpSymmetry?.Within(rtol, atol) ?? true);

    /// <inheritdoc/>
    public override string ToString() =>
        $"JVP {Jvp}; VJP {Vjp}" + (Hvp is { } h ? $"; HVP {h}; HVP symmetry {HvpSymmetry}" : "");
}

/// <summary>
/// Verifies derivatives against finite differences in float64 along seeded random directions: forward mode, reverse
/// mode and Hessian-vector products of any tensor function.
/// </summary>
public static class GradientChecker
{
    /// <summary>Checks JVP, VJP and H·v of <paramref name="f"/> at <paramref name="x"/> (both float64).</summary>
    public static GradCheckReport Check(Func<Tensor, Tensor> f, Tensor x, GradCheckOptions? options = null)
    {
        var o = options ?? new GradCheckOptions();
        if (x.DType != DType.Float64)
            throw new ArgumentException("gradient checks run in float64: pass a Float64 point and build f in Float64");
        x = x.Value;
        var rng = new Random(o.Seed);
        var v = Direction(x.Shape, rng, x.Backend);
        double h = o.Step;

        // JVP against central differences
        var (y, jv) = Ad.Jvp(f, x, v);
        var fd = Diff(f(x + v * h).ToArray(), f(x - v * h).ToArray(), h);
        var jvErr = Compare(jv.ToArray(), fd);

        // VJP by ⟨u, Jv⟩ = ⟨Jᵀu, v⟩
        var u = Direction(y.Shape, rng, x.Backend);
        var (_, ju) = Ad.Vjp(f, x, u);
        var vjpErr = CompareDots(u.ToArray(), jv.ToArray(), ju.ToArray(), v.ToArray());

        if (!o.CheckHvp) return new GradCheckReport(jvErr, vjpErr, null, null);

        // H·v of s(x) = ⟨u, f(x)⟩ against central differences of ∇s, and symmetry ⟨w, Hv⟩ = ⟨v, Hw⟩
        Tensor S(Tensor z) => (f(z) * u).Sum();
        var (_, hv) = Ad.GradAndHvp(S, x, v);
        var gfd = Diff(Ad.Grad(S, x + v * h).ToArray(), Ad.Grad(S, x - v * h).ToArray(), h);
        var hvErr = Compare(hv.ToArray(), gfd);
        var w = Direction(x.Shape, rng, x.Backend);
        var (_, hw) = Ad.GradAndHvp(S, x, w);
        var symErr = CompareDots(w.ToArray(), hv.ToArray(), v.ToArray(), hw.ToArray());
        return new GradCheckReport(jvErr, vjpErr, hvErr, symErr);
    }

    private static Tensor Direction(int[] shape, Random rng, IKernels backend)
    {
        var d = new double[Shapes.Product(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = 2 * rng.NextDouble() - 1;
        return Tensor.FromArray(d, shape, backend);
    }

    private static double[] Diff(double[] plus, double[] minus, double h)
    {
        var r = new double[plus.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (plus[i] - minus[i]) / (2 * h);
        return r;
    }

    /// <summary>Max |a − b|, relative to max(|a|, |b|) over all elements.</summary>
    private static CheckError Compare(double[] a, double[] b)
    {
        double err = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            err = Math.Max(err, Math.Abs(a[i] - b[i]));
            scale = Math.Max(scale, Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
        }
        if (double.IsNaN(err) || a.Any(double.IsNaN) || b.Any(double.IsNaN)) return new CheckError(double.NaN, double.NaN);
        return new CheckError(err, scale == 0 ? 0 : err / scale);
    }

    /// <summary>|⟨a, b⟩ − ⟨c, d⟩| relative to Σ|aᵢbᵢ| (the size of the terms summed).</summary>
    private static CheckError CompareDots(double[] a, double[] b, double[] c, double[] d)
    {
        double ab = 0, cd = 0, scale = 0;
        for (int i = 0; i < a.Length; i++) { ab += a[i] * b[i]; scale += Math.Abs(a[i] * b[i]); }
        double sc = 0;
        for (int i = 0; i < c.Length; i++) { cd += c[i] * d[i]; sc += Math.Abs(c[i] * d[i]); }
        scale = Math.Max(scale, sc);
        double err = Math.Abs(ab - cd);
        if (double.IsNaN(err)) return new CheckError(double.NaN, double.NaN);
        return new CheckError(err, scale == 0 ? 0 : err / scale);
    }
}
