namespace NativeCam.Cam.Metrics;

/// <summary>
/// Monotonicity (Arya et al., 2019) as Quantus defines it (perturb_baseline "black", softmax on): start from an image
/// filled with the "black" value min(x); insert the pixels of x (every channel) in ascending order of attribution,
/// <c>step</c> pixels at a time (the last step may be shorter); record p_c after each insertion; the image scores
/// 1 when these probabilities never decrease, else 0. (Quantus' code refills the inserted pixels with the baseline
/// value, which leaves the image unchanged and every image monotonic; this follows its documentation and the paper:
/// the pixels take x's values.) Ties in the map keep pixel order.
/// </summary>
public static class Monotonicity
{
    /// <summary>The probabilities after each insertion step.</summary>
    public static double[] Curve(ProbabilityModel probabilities, float[] input, float[] map, int classIndex, int step)
    {
        int px = map.Length;
        var order = Enumerable.Range(0, px).OrderBy(q => map[q]).ToArray();
        int steps = (px + step - 1) / step;
        float black = input.Min();
        var x = new float[input.Length];
        Array.Fill(x, black);
        var curve = new double[steps];
        const int Chunk = 32; // inputs per model call (bounds the memory of the copies)
        for (int start = 0; start < steps; start += Chunk)
        {
            int count = Math.Min(Chunk, steps - start);
            var batch = new float[count][];
            for (int k = 0; k < count; k++)
            {
                int s = start + k;
                for (int i = s * step; i < Math.Min(px, (s + 1) * step); i++)
                    for (int c = order[i]; c < x.Length; c += px) x[c] = input[c];
                batch[k] = (float[])x.Clone();
            }
            var p = probabilities(batch);
            for (int k = 0; k < count; k++) curve[start + k] = p[k][classIndex];
        }
        return curve;
    }

    /// <summary>1 when the curve never decreases, else 0.</summary>
    public static double Score(ProbabilityModel probabilities, float[] input, float[] map, int classIndex, int step)
    {
        var curve = Curve(probabilities, input, map, classIndex, step);
        for (int k = 1; k < curve.Length; k++)
            if (curve[k] < curve[k - 1]) return 0;
        return 1;
    }
}
