using System.Runtime.ExceptionServices;
using NativeCam.Cam.Evaluation;

namespace NativeCam.Cam.Metrics;

/// <summary>Settings of <see cref="Road"/>.</summary>
/// <param name="Percentiles">Removal percentiles, each in (0, 100); null means 20, 40, 60, 80.</param>
/// <param name="NoiseStd">σ of the 𝒩(0, σ²) noise added to the imputed pixels (0 for none).</param>
/// <param name="Seed">Seed of the noise; equal seeds give equal scores.</param>
public sealed record RoadOptions(IReadOnlyList<double>? Percentiles = null, double NoiseStd = 0.01, int Seed = 0)
{
    /// <summary>The percentiles of the paper's protocol: 20, 40, 60, 80.</summary>
    public static IReadOnlyList<double> DefaultPercentiles { get; } = [20, 40, 60, 80];

    /// <summary>Width of the maps (H·W values, row-major); null means square maps (H = W = √(H·W)).</summary>
    public int? MapWidth { get; init; }
}

/// <summary>
/// ROAD, remove-and-debias (Rong et al. 2022): for each percentile p, the top (MoRF) or bottom (LeRF) p% of the map's
/// pixels are removed from x and imputed by <see cref="NoisyLinearImputer"/>; the score is the softmax probability of
/// the class on the imputed image, and Combined = mean over p of (LeRF − MoRF)/2.
/// </summary>
/// <remarks>
/// ⌊p·H·W/100⌋ pixels are removed. MoRF takes pixels by decreasing map value, LeRF by increasing value; equal values
/// go by increasing pixel index in both (a stable, deterministic order, the same as <see cref="PixelCurves.Order"/>
/// for MoRF). Imputation j — numbered sample by sample, MoRF before LeRF, percentiles in the given order — draws its
/// noise from <see cref="Random"/>(Seed·1000003 + j), so the scores do not depend on threading.
/// </remarks>
public static class Road
{
    /// <summary>
    /// ROAD scores of every sample. All imputed images of all samples and percentiles go to the model in one call
    /// (2·P·N inputs: per sample, MoRF then LeRF, each over the percentiles).
    /// </summary>
    public static RoadScores[] Score(ProbabilityModel model, IReadOnlyList<MetricSample> samples, RoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        options ??= new RoadOptions();
        var percentiles = Validate(options);
        int count = samples.Count, pc = percentiles.Length;
        if (count == 0)
            return [];
        var grids = new (int Height, int Width)[count];
        for (int s = 0; s < count; s++)
            grids[s] = GridOf(samples[s], s, options.MapWidth);

        var inputs = new float[count * 2 * pc][];
        try
        {
            Parallel.For(0, count * 2, sd => ImputeSeries(samples[sd / 2], grids[sd / 2], lerf: sd % 2 == 1, percentiles,
                options, inputs, firstJob: sd * pc));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var probs = model(inputs);
        if (probs.Length != inputs.Length)
            throw new InvalidOperationException($"the model returned {probs.Length} rows for {inputs.Length} inputs");
        var result = new RoadScores[count];
        for (int s = 0; s < count; s++)
        {
            int c = samples[s].ClassIndex;
            var morf = new double[pc];
            var lerf = new double[pc];
            double combined = 0;
            for (int j = 0; j < pc; j++)
            {
                morf[j] = Prob(probs[(2 * s) * pc + j], c, s);
                lerf[j] = Prob(probs[(2 * s + 1) * pc + j], c, s);
                combined += (lerf[j] - morf[j]) / 2;
            }
            result[s] = new RoadScores((double[])percentiles.Clone(), morf, lerf, combined / pc);
        }
        return result;
    }

    // one sample's MoRF or LeRF images, one per percentile, into inputs[firstJob ..]
    private static void ImputeSeries(MetricSample sample, (int Height, int Width) grid, bool lerf, double[] percentiles,
        RoadOptions options, float[][] inputs, int firstJob)
    {
        var (h, w) = grid;
        var order = lerf ? AscendingOrder(sample.Mask) : PixelCurves.Order(sample.Mask);
        for (int j = 0; j < percentiles.Length; j++)
        {
            int job = firstJob + j;
            var removed = new bool[h * w];
            long k = (long)Math.Floor(percentiles[j] * (h * w) / 100.0);
            for (int i = 0; i < k; i++)
                removed[order[i]] = true;
            inputs[job] = NoisyLinearImputer.Impute(sample.Input, removed, h, w, options.NoiseStd,
                unchecked(options.Seed * 1_000_003 + job));
        }
    }

    /// <summary>Pixel indices by increasing value, ties by increasing index (the LeRF removal order).</summary>
    public static int[] AscendingOrder(float[] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var order = Enumerable.Range(0, mask.Length).ToArray();
        Array.Sort(order, (i, j) =>
        {
            int byValue = mask[i].CompareTo(mask[j]);
            return byValue != 0 ? byValue : i.CompareTo(j);
        });
        return order;
    }

    private static double[] Validate(RoadOptions options)
    {
        var percentiles = (options.Percentiles ?? RoadOptions.DefaultPercentiles).ToArray();
        if (percentiles.Length == 0)
            throw new ArgumentException("ROAD needs at least one percentile", nameof(options));
        for (int j = 0; j < percentiles.Length; j++)
            if (!(percentiles[j] > 0 && percentiles[j] < 100))
                throw new ArgumentException($"percentile {j} is {percentiles[j]}; each must lie strictly between 0 and 100", nameof(options));
        if (!double.IsFinite(options.NoiseStd) || options.NoiseStd < 0)
            throw new ArgumentException($"the noise standard deviation is {options.NoiseStd}; it must be finite and ≥ 0", nameof(options));
        if (options.MapWidth is < 1)
            throw new ArgumentException($"the map width is {options.MapWidth}; it must be ≥ 1", nameof(options));
        return percentiles;
    }

    private static (int Height, int Width) GridOf(MetricSample sample, int s, int? mapWidth)
    {
        ArgumentNullException.ThrowIfNull(sample);
        int plane = sample.Mask.Length;
        if (plane == 0)
            throw new ArgumentException($"sample {s}: the map is empty");
        int width;
        if (mapWidth is { } mw)
        {
            if (plane % mw != 0)
                throw new ArgumentException($"sample {s}: a map of {plane} values is not a whole number of {mw}-pixel rows");
            width = mw;
        }
        else
        {
            width = (int)Math.Round(Math.Sqrt(plane));
            if (width * width != plane)
                throw new ArgumentException($"sample {s}: a map of {plane} values is not square; set RoadOptions.MapWidth");
        }
        if (sample.Input.Length == 0 || sample.Input.Length % plane != 0)
            throw new ArgumentException($"sample {s}: input of {sample.Input.Length} values is not a whole number of {plane}-pixel planes");
        for (int p = 0; p < plane; p++)
            if (!float.IsFinite(sample.Mask[p]))
                throw new ArgumentException($"sample {s}: map value {p} is {sample.Mask[p]}; it must be finite");
        if (sample.ClassIndex < 0)
            throw new ArgumentException($"sample {s}: class index {sample.ClassIndex} is negative");
        return (plane / width, width);
    }

    private static double Prob(float[] row, int c, int s)
    {
        if ((uint)c >= (uint)row.Length)
            throw new ArgumentOutOfRangeException(nameof(row), $"sample {s}: class {c} outside the model's {row.Length} classes");
        return row[c];
    }
}
