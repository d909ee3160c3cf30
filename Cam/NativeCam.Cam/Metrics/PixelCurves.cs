namespace NativeCam.Cam.Metrics;

/// <summary>A deletion or insertion curve: p_c after step k = 0..steps (x = k/steps) and its trapezoid area over [0,1].</summary>
public sealed record PixelCurve(double[] Probabilities, double Auc);

/// <summary>
/// Deletion and insertion curves (RISE, Petsiuk et al. 2018). Pixels are ordered by decreasing map value (ties by
/// index); after step k of <c>steps</c>, the first ⌊k·H·W/steps⌋ of them are removed (set to 0, the mean colour, in
/// every channel) for deletion, or copied from x onto a zero image for insertion.
/// </summary>
public static class PixelCurves
{
    /// <summary>Deletion curves of many images, all steps of all images in one model call.</summary>
    public static PixelCurve[] Deletion(ProbabilityModel model, IReadOnlyList<MetricSample> samples, int steps) =>
        Curves(model, samples, steps, insertion: false);

    /// <summary>Insertion curves of many images, all steps of all images in one model call.</summary>
    public static PixelCurve[] Insertion(ProbabilityModel model, IReadOnlyList<MetricSample> samples, int steps) =>
        Curves(model, samples, steps, insertion: true);

    /// <summary>Pixel indices by decreasing value, ties by increasing index.</summary>
    public static int[] Order(float[] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var order = Enumerable.Range(0, mask.Length).ToArray();
        Array.Sort(order, (i, j) =>
        {
            int byValue = mask[j].CompareTo(mask[i]);
            return byValue != 0 ? byValue : i.CompareTo(j);
        });
        return order;
    }

    /// <summary>Area under points equally spaced over [0,1] by the trapezoid rule.</summary>
    public static double TrapezoidAuc(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = values.Count;
        if (n < 2)
            throw new ArgumentException("a curve needs at least two points");
        double sum = 0;
        for (int i = 0; i + 1 < n; i++)
            sum += (values[i] + values[i + 1]) / 2;
        return sum / (n - 1);
    }

    private static PixelCurve[] Curves(ProbabilityModel model, IReadOnlyList<MetricSample> samples, int steps, bool insertion)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        int points = steps + 1;
        var inputs = new float[samples.Count * points][];
        for (int s = 0; s < samples.Count; s++)
            StepImages(samples[s], steps, insertion).CopyTo(inputs, s * points);
        var probs = model(inputs);
        if (probs.Length != inputs.Length)
            throw new InvalidOperationException($"the model returned {probs.Length} rows for {inputs.Length} inputs");
        var result = new PixelCurve[samples.Count];
        for (int s = 0; s < samples.Count; s++)
        {
            int c = samples[s].ClassIndex;
            var curve = new double[points];
            for (int k = 0; k < points; k++)
            {
                var row = probs[s * points + k];
                if ((uint)c >= (uint)row.Length)
                    throw new ArgumentOutOfRangeException(nameof(samples), $"class {c} outside the model's {row.Length} classes");
                curve[k] = row[c];
            }
            result[s] = new PixelCurve(curve, TrapezoidAuc(curve));
        }
        return result;
    }

    private static float[][] StepImages(MetricSample sample, int steps, bool insertion)
    {
        var x = sample.Input;
        int plane = sample.Mask.Length;
        if (plane == 0 || x.Length % plane != 0)
            throw new ArgumentException($"input of {x.Length} values is not a whole number of {plane}-pixel planes");
        int channels = x.Length / plane;
        var order = Order(sample.Mask);
        var images = new float[steps + 1][];
        var current = insertion ? new float[x.Length] : (float[])x.Clone();
        int done = 0;
        for (int k = 0; k <= steps; k++)
        {
            int target = (int)((long)k * plane / steps);
            for (; done < target; done++)
            {
                int p = order[done];
                for (int ch = 0; ch < channels; ch++)
                    current[ch * plane + p] = insertion ? x[ch * plane + p] : 0f;
            }
            images[k] = (float[])current.Clone();
        }
        return images;
    }
}
