namespace NativeCam.Cam.Shapley;

/// <summary>Sampled Shapley values of a game.</summary>
/// <param name="Values">φ̂ᵢ: the mean marginal contribution of each player over the sampled permutations.</param>
/// <param name="StdErrors">The standard error of each φ̂ᵢ, from the spread over antithetic pairs (the two halves of
/// a pair are correlated, so the pair mean is the independent unit); NaN with a single pair.</param>
/// <param name="Samples">Permutations evaluated (pairs × 2).</param>
/// <param name="FullValue">v(N).</param>
/// <param name="EmptyValue">v(∅).</param>
/// <param name="EfficiencyResidual">max over permutations of |Σᵢ Δᵢ(π) − (v(N) − v(∅))|: the marginal contributions
/// along one permutation telescope, so this is rounding only (efficiency holds exactly per permutation).</param>
public sealed record ShapleyEstimate(double[] Values, double[] StdErrors, int Samples, double FullValue, double EmptyValue,
    double EfficiencyResidual)
{
    /// <summary>Number of players.</summary>
    public int Players => Values.Length;

    /// <summary>v(N) − v(∅), which the values sum to.</summary>
    public double FullMinusEmpty => FullValue - EmptyValue;

    /// <summary>Σᵢ φ̂ᵢ.</summary>
    public double Sum => Values.Sum();

    /// <summary>The mean standard error over players (NaN with a single pair).</summary>
    public double MeanStdError => StdErrors.Length == 0 ? 0 : StdErrors.Average();
}
