using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// silu⁽ᵏ⁾(x) of any order k ≥ 1 on plain tensors, for the orders the kernel does not compute. With s = σ(x),
/// t = σ(−x), u = s·t = σ′ and d = t − s, every σ⁽ʲ⁾ = A_j(u) + d·B_j(u) for polynomials A_j, B_j: u′ = u·d and
/// d′ = −2u (d² = 1 − 4u) give A_{j+1} = −2u·B_j + u(1 − 4u)·B_j′ and B_{j+1} = u·A_j′ from A_0 = ½, B_0 = −½
/// (σ = (1 − d)/2). Then silu⁽ᵏ⁾ = x·σ⁽ᵏ⁾ + k·σ⁽ᵏ⁻¹⁾.
/// </summary>
internal static class SiluDerivativeSeries
{
    /// <summary>silu⁽ᵏ⁾(x) for a plain tensor x.</summary>
    public static Tensor Evaluate(Tensor x, int order)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(order, 1);
        var s = Elementwise.Map(UnaryKind.Sigmoid, x);
        var t = Elementwise.Map(UnaryKind.Sigmoid, Elementwise.Map(UnaryKind.Neg, x));
        var u = s * t;
        var d = t - s;
        var (a, b) = Coefficients(order);
        var (a0, b0) = Coefficients(order - 1);
        return x * (Polynomial(a, u) + d * Polynomial(b, u)) + (Polynomial(a0, u) + d * Polynomial(b0, u)) * order;
    }

    /// <summary>The coefficients (index = power of u) of A_j and B_j.</summary>
    internal static (double[] A, double[] B) Coefficients(int j)
    {
        double[] a = [0.5], b = [-0.5];
        for (int i = 0; i < j; i++)
        {
            var db = Derivative(b);
            var next = Sum(Shift(Scale(b, -2)), Sum(Shift(db), Scale(Shift(Shift(db)), -4)));
            b = Shift(Derivative(a));
            a = next;
        }
        return (a, b);
    }

    // c(u) evaluated by Horner's rule with tensor ops
    private static Tensor Polynomial(double[] c, Tensor u)
    {
        var p = u * 0.0 + c[^1];
        for (int i = c.Length - 2; i >= 0; i--) p = p * u + c[i];
        return p;
    }

    private static double[] Derivative(double[] c) =>
        c.Length <= 1 ? [0] : [.. Enumerable.Range(1, c.Length - 1).Select(i => i * c[i])];

    private static double[] Shift(double[] c) => [0, .. c]; // u·c(u)

    private static double[] Scale(double[] c, double f) => [.. c.Select(v => v * f)];

    private static double[] Sum(double[] p, double[] q)
    {
        var r = new double[Math.Max(p.Length, q.Length)];
        for (int i = 0; i < r.Length; i++) r[i] = (i < p.Length ? p[i] : 0) + (i < q.Length ? q[i] : 0);
        return r;
    }
}
