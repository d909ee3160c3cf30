namespace NativeCam.Cam.Metrics;

/// <summary>
/// The structural similarity of two maps as Quantus' ssim calls scikit-image's structural_similarity: data range
/// max − min over both maps, 7 × 7 uniform windows, K1 = 0.01, K2 = 0.03, sample covariances (× n/(n − 1)), the mean
/// of the SSIM map over the positions whose window lies inside the image. Maps smaller than 7 × 7 use the largest odd
/// window that fits. 1 when both maps are equal and constant.
/// </summary>
public static class Ssim
{
    /// <summary>SSIM of two H × W maps.</summary>
    public static double Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int height, int width)
    {
        if (a.Length != height * width || b.Length != a.Length)
            throw new ArgumentException($"SSIM needs two maps of {height}×{width}; got {a.Length} and {b.Length} values");
        int win = Math.Min(7, Math.Min(height, width));
        if (win % 2 == 0) win--;
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Max(a[i], b[i]));
            min = Math.Min(min, Math.Min(a[i], b[i]));
        }
        double range = max - min;
        double c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range);
        int np = win * win;
        double cov = np / (np - 1.0);
        double total = 0;
        int count = 0;
        for (int y = 0; y + win <= height; y++)
            for (int x = 0; x + win <= width; x++)
            {
                double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
                for (int dy = 0; dy < win; dy++)
                    for (int dx = 0; dx < win; dx++)
                    {
                        int q = (y + dy) * width + x + dx;
                        double va = a[q], vb = b[q];
                        sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb;
                    }
                double ma = sa / np, mb = sb / np;
                double va2 = cov * (saa / np - ma * ma), vb2 = cov * (sbb / np - mb * mb), vab = cov * (sab / np - ma * mb);
                double s = (2 * ma * mb + c1) * (2 * vab + c2) / ((ma * ma + mb * mb + c1) * (va2 + vb2 + c2));
                total += range == 0 ? 1 : s;
                count++;
            }
        return total / count;
    }
}
