namespace NativeCam.Kernels;

/// <summary>
/// The orders of <see cref="UnaryKind.SiluDerivative"/> the kernels compute. With s = σ(x), t = σ(−x) = 1 − s, u = s·t
/// (= σ′) and d = t − s, the derivatives follow from u′ = u·d and d′ = −2u:
/// σ′ = u, σ″ = u·d, σ‴ = u(1 − 6u), σ⁗ = u·d(1 − 12u), and silu⁽ᵏ⁾ = x·σ⁽ᵏ⁾ + k·σ⁽ᵏ⁻¹⁾, so
/// silu′ = x·u + s, silu″ = u(x·d + 2), silu‴ = u(x(1 − 6u) + 3d), silu⁗ = u(x·d(1 − 12u) + 4(1 − 6u)).
/// s and t come from one exponential e = e^(−|x|) (the larger is 1/(1 + e), the smaller e/(1 + e)), so u keeps its
/// relative accuracy where s or t is near 1, where 1 − s would cancel.
/// </summary>
public static class SiluDerivativeOrder
{
    /// <summary>The highest order the kernels compute.</summary>
    public const int Max = 4;

    /// <summary>The order given as a kernel's alpha; throws unless it is 1…<see cref="Max"/>.</summary>
    public static int Check(double alpha) => alpha is 1 or 2 or 3 or 4
        ? (int)alpha
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"SiluDerivative: the order (alpha) must be an integer from 1 to {Max}");
}
