namespace NativeCam.Cam.Metrics;

/// <summary>
/// One image's inputs to the faithfulness metrics: the normalised input x (CHW), the final map m (H·W, in [0,1]),
/// the class c, and optionally the map m′ of the same method on x ⊙ m (for coherency).
/// </summary>
public sealed record MetricSample(float[] Input, float[] Mask, int ClassIndex, float[]? CoherenceMask = null);

/// <summary>
/// One image's scores: Y = p_c(x), O = p_c(x ⊙ m), D = p_c(x ⊙ (1 − m)), the complexity Σ|m|/(H·W) and the
/// coherency (pearson(m, m′) + 1)/2 when m′ was given.
/// </summary>
public sealed record ImageMetrics(int ClassIndex, double Y, double O, double D, double Complexity, double? Coherency)
{
    /// <summary>max(0, Y − O)/Y (0 when Y is 0).</summary>
    public double Drop => Y > 0 ? Math.Max(0, Y - O) / Y : 0;

    /// <summary>1 when O &gt; Y, else 0.</summary>
    public double Increase => O > Y ? 1 : 0;

    /// <summary>max(0, Y − D)/Y (0 when Y is 0).</summary>
    public double DeletionDrop => Y > 0 ? Math.Max(0, Y - D) / Y : 0;

    /// <summary>Σ|m| / (H·W).</summary>
    public static double ComplexityOf(ReadOnlySpan<float> mask)
    {
        double sum = 0;
        foreach (var v in mask)
            sum += Math.Abs(v);
        return mask.Length == 0 ? 0 : sum / mask.Length;
    }

    /// <summary>(pearson(m, m′) + 1)/2, the correlation counting as 0 when either map is constant or not finite.</summary>
    public static double CoherencyOf(ReadOnlySpan<float> mask, ReadOnlySpan<float> coherenceMask) =>
        (Pearson.Correlation(mask, coherenceMask) + 1) / 2;
}
