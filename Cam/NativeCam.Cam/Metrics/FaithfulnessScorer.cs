namespace NativeCam.Cam.Metrics;

/// <summary>Scores images for the faithfulness metrics with one batched model call for x, x ⊙ m and x ⊙ (1 − m).</summary>
public static class FaithfulnessScorer
{
    /// <summary>
    /// Per-image Y, O, D, complexity and coherency. The model is called once with 3·N inputs
    /// (all x, then all x ⊙ m, then all x ⊙ (1 − m)).
    /// </summary>
    public static ImageMetrics[] Score(ProbabilityModel model, IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        int n = samples.Count;
        if (n == 0)
            return [];
        var inputs = new float[3 * n][];
        for (int i = 0; i < n; i++)
        {
            var s = samples[i];
            if (s.CoherenceMask is { } mc && mc.Length != s.Mask.Length)
                throw new ArgumentException($"sample {i}: coherence map has {mc.Length} values, the map {s.Mask.Length}");
            inputs[i] = s.Input;
            inputs[n + i] = MaskedInputs.Keep(s.Input, s.Mask);
            inputs[2 * n + i] = MaskedInputs.Remove(s.Input, s.Mask);
        }
        var probs = model(inputs);
        if (probs.Length != inputs.Length)
            throw new InvalidOperationException($"the model returned {probs.Length} rows for {inputs.Length} inputs");
        var result = new ImageMetrics[n];
        for (int i = 0; i < n; i++)
        {
            var s = samples[i];
            int c = s.ClassIndex;
            double? coh = s.CoherenceMask is { } m2 ? ImageMetrics.CoherencyOf(s.Mask, m2) : null;
            result[i] = new ImageMetrics(c, Prob(probs[i], c), Prob(probs[n + i], c), Prob(probs[2 * n + i], c),
                ImageMetrics.ComplexityOf(s.Mask), coh);
        }
        return result;
    }

    /// <summary>
    /// As <see cref="Score(ProbabilityModel, IReadOnlyList{MetricSample})"/>, with m′ computed by
    /// <paramref name="coherenceMaps"/>: it receives every x ⊙ m and its class c in one batch and returns the same
    /// method's final map (H·W, in [0,1]) for each; maps given in the samples are replaced.
    /// </summary>
    public static ImageMetrics[] Score(ProbabilityModel model, IReadOnlyList<MetricSample> samples,
        Func<float[][], int[], float[][]> coherenceMaps)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(coherenceMaps);
        var kept = samples.Select(s => MaskedInputs.Keep(s.Input, s.Mask)).ToArray();
        var maps = coherenceMaps(kept, samples.Select(s => s.ClassIndex).ToArray());
        if (maps.Length != samples.Count)
            throw new InvalidOperationException($"the callback returned {maps.Length} maps for {samples.Count} images");
        return Score(model, samples.Select((s, i) => s with { CoherenceMask = maps[i] }).ToArray());
    }

    private static double Prob(float[] row, int c)
    {
        if ((uint)c >= (uint)row.Length)
            throw new ArgumentOutOfRangeException(nameof(c), $"class {c} outside the model's {row.Length} classes");
        return row[c];
    }
}
