namespace NativeCam.Benchmarks.VsOrt;

/// <summary>
/// Whether two engines computed the same output: the largest absolute difference over the largest magnitude of the
/// reference, max |a − r| / max |r| (the scale-free measure the GPU check uses too). A NaN or infinity anywhere, or
/// outputs of different lengths, never agree.
/// </summary>
public static class Agreement
{
    /// <summary>max |a − r| / max |r|; +∞ when the lengths differ or a value is not finite; 0 for two all-zero outputs.</summary>
    public static double MaxRelativeDifference(ReadOnlySpan<double> actual, ReadOnlySpan<float> reference)
    {
        if (actual.Length != reference.Length || actual.Length == 0) return double.PositiveInfinity;
        double diff = 0, scale = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], r = reference[i];
            if (!double.IsFinite(a) || !double.IsFinite(r)) return double.PositiveInfinity;
            diff = Math.Max(diff, Math.Abs(a - r));
            scale = Math.Max(scale, Math.Abs(r));
        }
        return diff == 0 ? 0 : scale == 0 ? double.PositiveInfinity : diff / scale;
    }

    /// <summary>True when <see cref="MaxRelativeDifference"/> is within <paramref name="tolerance"/>.</summary>
    public static bool Agrees(double maxRelativeDifference, double tolerance) => maxRelativeDifference <= tolerance;
}
