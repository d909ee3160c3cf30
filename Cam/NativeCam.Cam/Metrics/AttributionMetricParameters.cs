namespace NativeCam.Cam.Metrics;

/// <summary>Settings of the faithfulness-correlation, monotonicity and sanity-check metrics (Quantus' defaults where it has them).</summary>
public sealed record AttributionMetricParameters
{
    /// <summary>Faithfulness correlation: random subsets per image (Quantus' nr_runs, 100).</summary>
    public int FaithfulnessRuns { get; init; } = 100;

    /// <summary>Faithfulness correlation: pixels per subset (Quantus' subset_size, 224).</summary>
    public int FaithfulnessSubset { get; init; } = 224;

    /// <summary>Monotonicity: pixels inserted per step (Quantus' features_in_step; 224 gives 224 steps on 224 × 224).</summary>
    public int MonotonicityStep { get; init; } = 224;

    /// <summary>Model randomisation: how many weight layers, from the top, are randomised in cascade (0: all).</summary>
    public int RandomizedLayers { get; init; }

    /// <summary>Checks every range; the message names the CLI option.</summary>
    /// <exception cref="ArgumentException">A value out of range.</exception>
    public void Validate()
    {
        if (FaithfulnessRuns < 2) throw new ArgumentException($"--faithfulness-runs must be at least 2 (a correlation needs two points); got {FaithfulnessRuns}");
        if (FaithfulnessSubset < 1) throw new ArgumentException($"--faithfulness-subset must be at least 1; got {FaithfulnessSubset}");
        if (MonotonicityStep < 1) throw new ArgumentException($"--monotonicity-step must be at least 1; got {MonotonicityStep}");
        if (RandomizedLayers < 0) throw new ArgumentException($"--randomized-layers must be ≥ 0 (0: every layer); got {RandomizedLayers}");
    }
}
