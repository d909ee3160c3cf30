namespace NativeCam.Cam.Tests.Metrics;

/// <summary>
/// Test-side reference of the linear imputation: the row-normalised system x_i − Σ_{j removed} (w_ij/d_i)·x_j =
/// Σ_{j kept} (w_ij/d_i)·v_j written as a dense matrix and solved by Gaussian elimination with partial pivoting.
/// </summary>
internal static class RoadDenseReference
{
    /// <summary>1/6 for the 4 edge neighbours, 1/12 for the 4 diagonal ones, 0 otherwise.</summary>
    public static double Weight(int dy, int dx) =>
        (dy, dx) == (0, 0) || Math.Abs(dy) > 1 || Math.Abs(dx) > 1 ? 0 : dy == 0 || dx == 0 ? 1.0 / 6 : 1.0 / 12;

    /// <summary>The imputed CHW image (no noise) in double precision.</summary>
    public static double[] Impute(float[] input, bool[] removed, int h, int w)
    {
        int plane = h * w, channels = input.Length / plane;
        var unknowns = Enumerable.Range(0, plane).Where(p => removed[p]).ToArray();
        var slot = new Dictionary<int, int>();
        for (int i = 0; i < unknowns.Length; i++)
            slot[unknowns[i]] = i;
        int n = unknowns.Length;
        var result = input.Select(v => (double)v).ToArray();
        for (int c = 0; c < channels; c++)
        {
            var a = new double[n, n];
            var b = new double[n];
            for (int i = 0; i < n; i++)
            {
                int y = unknowns[i] / w, x = unknowns[i] % w;
                double d = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        if (y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w)
                            d += Weight(dy, dx);
                a[i, i] = 1;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int ny = y + dy, nx = x + dx;
                        double wt = Weight(dy, dx);
                        if (wt == 0 || ny < 0 || ny >= h || nx < 0 || nx >= w)
                            continue;
                        int q = ny * w + nx;
                        if (removed[q])
                            a[i, slot[q]] -= wt / d;
                        else
                            b[i] += wt / d * input[c * plane + q];
                    }
            }
            var solution = Solve(a, b);
            for (int i = 0; i < n; i++)
                result[c * plane + unknowns[i]] = solution[i];
        }
        return result;
    }

    /// <summary>Gaussian elimination with partial pivoting (destroys its arguments).</summary>
    public static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                    pivot = r;
            if (pivot != col)
            {
                for (int k = 0; k < n; k++)
                    (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
                (b[col], b[pivot]) = (b[pivot], b[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = a[r, col] / a[col, col];
                if (f == 0)
                    continue;
                for (int k = col; k < n; k++)
                    a[r, k] -= f * a[col, k];
                b[r] -= f * b[col];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++)
                s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }

    /// <summary>max over removed pixels and channels of |x_i − (weighted mean of its in-image neighbours)|.</summary>
    public static double MaxMeanViolation(float[] image, bool[] removed, int h, int w)
    {
        int plane = h * w, channels = image.Length / plane;
        double worst = 0;
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < plane; p++)
            {
                if (!removed[p])
                    continue;
                int y = p / w, x = p % w;
                double sum = 0, d = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int ny = y + dy, nx = x + dx;
                        if (ny < 0 || ny >= h || nx < 0 || nx >= w)
                            continue;
                        double wt = Weight(dy, dx);
                        sum += wt * image[c * plane + ny * w + nx];
                        d += wt;
                    }
                worst = Math.Max(worst, Math.Abs(image[c * plane + p] - sum / d));
            }
        return worst;
    }
}
