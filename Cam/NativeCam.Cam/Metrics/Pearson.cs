namespace NativeCam.Cam.Metrics;

/// <summary>What <see cref="Pearson.Correlation(ReadOnlySpan{double}, ReadOnlySpan{double}, PearsonEdge)"/> returns where
/// the correlation is undefined.</summary>
public enum PearsonEdge
{
    /// <summary>
    /// 0 when either vector is empty or constant (exactly equal values), holds a value that is not finite, or the
    /// result is not finite; the result is clamped to [−1, 1]. The coherency metric's rule: a degenerate map
    /// agrees with nothing.
    /// </summary>
    Zero,

    /// <summary>NaN when either vector has zero variance (the rank statistics' rule: undefined stays visible).</summary>
    NaN,
}

/// <summary>Pearson's correlation, the one implementation (the coherency metric and the rank statistics call it).</summary>
public static class Pearson
{
    /// <summary>The coherency metric's correlation of two maps of equal length (<see cref="PearsonEdge.Zero"/>).</summary>
    public static double Correlation(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"maps of {a.Length} and {b.Length} values");
        var da = new double[a.Length];
        var db = new double[b.Length];
        for (int i = 0; i < da.Length; i++) (da[i], db[i]) = (a[i], b[i]);
        return Correlation(da, db, PearsonEdge.Zero);
    }

    /// <summary>The correlation of two vectors of equal length, with the edge rule <paramref name="edge"/>.</summary>
    public static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b, PearsonEdge edge)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"vectors of {a.Length} and {b.Length} values");
        bool zero = edge == PearsonEdge.Zero;
        int n = a.Length;
        if (n == 0)
            return zero ? 0 : double.NaN;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++)
        {
            if (zero && (!double.IsFinite(a[i]) || !double.IsFinite(b[i])))
                return 0;
            ma += a[i];
            mb += b[i];
        }
        // the means of equal values can round off them, so constancy is tested exactly
        if (zero && (IsConstant(a) || IsConstant(b)))
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
        if (!(saa > 0 && sbb > 0))
            return zero ? 0 : double.NaN;
        double r = sab / Math.Sqrt(saa * sbb);
        if (!zero) return r;
        return double.IsFinite(r) ? Math.Clamp(r, -1, 1) : 0;
    }

    private static bool IsConstant(ReadOnlySpan<double> v)
    {
        for (int i = 1; i < v.Length; i++)
            if (v[i] != v[0])
                return false;
        return true;
    }
}
