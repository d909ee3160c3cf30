namespace NativeCam.Cam.Metrics;

/// <summary>Pearson correlation as the coherency metric uses it.</summary>
public static class Pearson
{
    /// <summary>
    /// The correlation of two maps of equal length; 0 when either map is constant, holds a value that is not
    /// finite, or the result is not finite.
    /// </summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"maps of {a.Length} and {b.Length} values");
        int n = a.Length;
        if (n == 0)
            return 0;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++)
        {
            if (!float.IsFinite(a[i]) || !float.IsFinite(b[i]))
                return 0;
            ma += a[i];
            mb += b[i];
        }
        if (IsConstant(a) || IsConstant(b))
            return 0;
        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0)
            return 0;
        double r = sab / Math.Sqrt(saa * sbb);
        return double.IsFinite(r) ? Math.Clamp(r, -1, 1) : 0;
    }

    private static bool IsConstant(ReadOnlySpan<float> v)
    {
        for (int i = 1; i < v.Length; i++)
            if (v[i] != v[0])
                return false;
        return true;
    }
}
