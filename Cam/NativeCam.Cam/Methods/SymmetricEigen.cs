namespace NativeCam.Cam.Methods;

/// <summary>
/// Eigen-decomposition of a dense real symmetric matrix: Householder reduction to tridiagonal form, then the
/// implicit QL iteration with Wilkinson-type shifts (the classic tred2/tql2 pair), accumulating the
/// transformations into the eigenvectors. O(n³); meant for the small kernel matrices of KPCA-CAM (n = h·w).
/// </summary>
public static class SymmetricEigen
{
    /// <summary>Eigenvalues in ascending order and the unit eigenvectors as columns (vectors[i][j] = component i of vector j).</summary>
    /// <param name="a">Row-major n×n symmetric matrix (only read).</param>
    /// <param name="n">Its order.</param>
    /// <exception cref="ArgumentException">Wrong size or a non-finite entry.</exception>
    /// <exception cref="InvalidOperationException">The QL iteration did not converge.</exception>
    public static (double[] Values, double[][] Vectors) Decompose(double[] a, int n)
    {
        if (a.Length != (long)n * n) throw new ArgumentException($"{a.Length} values for a {n}×{n} matrix");
        if (a.Any(v => !double.IsFinite(v))) throw new ArgumentException("the matrix has a non-finite entry");
        var v = new double[n][];
        for (int i = 0; i < n; i++) v[i] = a.AsSpan(i * n, n).ToArray();
        var d = new double[n];
        var e = new double[n];
        if (n == 0) return (d, v);
        Tridiagonalize(v, d, e);
        DiagonalizeTridiagonal(v, d, e);
        Sort(v, d);
        return (d, v);
    }

    /// <summary>Householder reduction: on return d is the diagonal, e[1..] the sub-diagonal and v the orthogonal transform.</summary>
    private static void Tridiagonalize(double[][] v, double[] d, double[] e)
    {
        int n = d.Length;
        for (int j = 0; j < n; j++) d[j] = v[n - 1][j];
        for (int i = n - 1; i > 0; i--)
        {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            }
            else
            {
                // the Householder vector, scaled against under/overflow
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1], g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                // p = A·u / h (in e), using the lower triangle
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++)
                    {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                // A ← A − u·qᵀ − q·uᵀ
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) v[k][j] -= f * e[k] + g * d[k];
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        // accumulate the transformations
        for (int i = 0; i < n - 1; i++)
        {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0)
            {
                for (int k = 0; k <= i; k++) d[k] = v[k][i + 1] / h;
                for (int j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += v[k][i + 1] * v[k][j];
                    for (int k = 0; k <= i; k++) v[k][j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) v[k][i + 1] = 0;
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>Implicit QL on the tridiagonal (d, e), rotating v along: d becomes the eigenvalues.</summary>
    private static void DiagonalizeTridiagonal(double[][] v, double[] d, double[] e)
    {
        int n = d.Length;
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0, eps = Math.Pow(2, -52);
        for (int l = 0; l < n; l++)
        {
            // find a negligible sub-diagonal element
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.Abs(e[m]) > eps * tst1) m++;
            if (m > l)
            {
                int iterations = 0;
                do
                {
                    if (++iterations > 200) throw new InvalidOperationException("the symmetric eigen-solver did not converge");
                    // the shift from the leading 2×2 block
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    // the implicit QL sweep of plane rotations
                    p = d[m];
                    double c = 1, c2 = c, c3 = c, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++)
                        {
                            h = v[k][i + 1];
                            v[k][i + 1] = s * v[k][i] + c * h;
                            v[k][i] = c * v[k][i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    /// <summary>Sorts the eigenvalues ascending, permuting the eigenvector columns alike.</summary>
    private static void Sort(double[][] v, double[] d)
    {
        int n = d.Length;
        for (int i = 0; i < n - 1; i++)
        {
            int k = i;
            for (int j = i + 1; j < n; j++)
                if (d[j] < d[k]) k = j;
            if (k == i) continue;
            (d[i], d[k]) = (d[k], d[i]);
            for (int r = 0; r < n; r++) (v[r][i], v[r][k]) = (v[r][k], v[r][i]);
        }
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }
}
