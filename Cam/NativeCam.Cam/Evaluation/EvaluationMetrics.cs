namespace NativeCam.Cam.Evaluation;

/// <summary>The metric families an evaluation computes (Y, O, D and complexity are always computed: three forward passes).</summary>
[Flags]
public enum EvaluationMetrics
{
    /// <summary>Only Y, O, D (AD, IC, ADD) and complexity.</summary>
    None = 0,

    /// <summary>Coherency (the method re-run on x ⊙ m) and ADCC, besides AD, IC, ADD and complexity.</summary>
    Adcc = 1,

    /// <summary>ROAD MoRF/LeRF and ROADCombined.</summary>
    Road = 2,

    /// <summary>The deletion curve and its AUC.</summary>
    Deletion = 4,

    /// <summary>The insertion curve and its AUC.</summary>
    Insertion = 8,

    /// <summary>Every family of the paper's protocol (the default; the attribution metrics below are asked by name).</summary>
    All = Adcc | Road | Deletion | Insertion,

    /// <summary>ARCC (pytorch-grad-cam 1.5.5); computes coherency and ROAD as well.</summary>
    Arcc = 16,

    /// <summary>Faithfulness correlation (Bhatt et al., Quantus' definition).</summary>
    FaithfulnessCorrelation = 32,

    /// <summary>Monotonicity (Arya et al., Quantus' definition).</summary>
    Monotonicity = 64,

    /// <summary>The model-randomisation sanity check (Adebayo et al.): Spearman's ρ and SSIM per randomised depth.</summary>
    ModelRandomization = 128,

    /// <summary>The random-logit sanity check: SSIM with the map of a random other class.</summary>
    RandomLogit = 256,
}

/// <summary>Names of the metric families as the command line spells them.</summary>
public static class EvaluationMetricNames
{
    private static readonly (string Name, EvaluationMetrics Flag)[] Known =
    [
        ("adcc", EvaluationMetrics.Adcc), ("road", EvaluationMetrics.Road),
        ("deletion", EvaluationMetrics.Deletion), ("insertion", EvaluationMetrics.Insertion),
        ("arcc", EvaluationMetrics.Arcc), ("faithfulness-correlation", EvaluationMetrics.FaithfulnessCorrelation),
        ("monotonicity", EvaluationMetrics.Monotonicity), ("model-randomization", EvaluationMetrics.ModelRandomization),
        ("random-logit", EvaluationMetrics.RandomLogit),
    ];

    /// <summary>Every family name, in canonical order.</summary>
    public static IReadOnlyList<string> Names { get; } = Known.Select(k => k.Name).ToArray();

    /// <summary>Parses a comma-separated list such as "adcc,deletion" (case-insensitive, spaces ignored).</summary>
    /// <exception cref="ArgumentException">An unknown name, or an empty list.</exception>
    public static EvaluationMetrics Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
            throw new ArgumentException("--metrics needs at least one of " + string.Join(", ", Names));
        var result = EvaluationMetrics.None;
        foreach (var p in parts)
        {
            var match = Known.Where(k => k.Name.Equals(p, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
                throw new ArgumentException($"unknown metric '{p}' (known: {string.Join(", ", Names)})");
            result |= match[0].Flag;
        }
        return result;
    }

    /// <summary>The family names of a selection, in canonical order.</summary>
    public static IReadOnlyList<string> Format(EvaluationMetrics metrics) =>
        Known.Where(k => metrics.HasFlag(k.Flag)).Select(k => k.Name).ToArray();
}
