using NativeCam.Cam.Evaluation;

namespace NativeCam.Cli.Commands;

/// <summary>One method's attribution-metric figures in the `eval --json` document; non-finite values are null.</summary>
/// <param name="Arcc">Mean ARCC.</param>
/// <param name="FaithfulnessCorrelation">Mean faithfulness correlation.</param>
/// <param name="Monotonicity">Share of monotonic images.</param>
/// <param name="RandomizationSpearman">Mean Spearman's ρ with the original map per number of randomised top layers.</param>
/// <param name="RandomizationSsim">Mean SSIM with the original map, same order.</param>
/// <param name="RandomLogitSsim">Mean SSIM with the map of a random other class.</param>
public sealed record EvalAttributionJson(double? Arcc, double? FaithfulnessCorrelation, double? Monotonicity,
    double?[]? RandomizationSpearman, double?[]? RandomizationSsim, double? RandomLogitSsim)
{
    /// <summary>The figures of a summary, or null when it has none.</summary>
    public static EvalAttributionJson? Of(AttributionSummary? s) => s is null ? null
        : new(Finite(s.Arcc), Finite(s.FaithfulnessCorrelation), Finite(s.Monotonicity), Finite(s.RandomizationSpearman),
            Finite(s.RandomizationSsim), Finite(s.RandomLogitSsim));

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    private static double?[]? Finite(double[]? v) => v?.Select(x => Finite(x)).ToArray();
}
