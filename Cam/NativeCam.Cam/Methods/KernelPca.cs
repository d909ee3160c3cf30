namespace NativeCam.Cam.Methods;

/// <summary>
/// The first kernel principal component of a set of points, as scikit-learn's KernelPCA(n_components = 1)
/// computes it: the kernel matrix K of the points, double-centred (K − 1K − K1 + 1K1, 1 the matrix of 1/n), its
/// largest eigenvalue λ with unit eigenvector u (sign: the largest-|·| component positive), projection u·√max(λ, 0).
/// </summary>
public static class KernelPca
{
    /// <summary>The kernel matrix (n×n, row-major) of n points of dimension dim (row-major n×dim); γ = 1/dim.</summary>
    public static double[] KernelMatrix(double[] x, int n, int dim, KpcaKernel kernel)
    {
        if (x.Length != (long)n * dim) throw new ArgumentException($"{x.Length} values for {n} points of dimension {dim}");
        double gamma = 1.0 / dim;
        var k = new double[n * n];
        var norms = new double[n];
        for (int i = 0; i < n; i++) norms[i] = Math.Sqrt(Dot(x, i, i, dim));
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double dot = Dot(x, i, j, dim);
                double v = kernel switch
                {
                    // ‖a − b‖² = ‖a‖² + ‖b‖² − 2⟨a, b⟩, clamped at 0 against rounding
                    KpcaKernel.Rbf => Math.Exp(-gamma * Math.Max(norms[i] * norms[i] + norms[j] * norms[j] - 2 * dot, 0)),
                    KpcaKernel.Sigmoid => Math.Tanh(gamma * dot + 1),
                    _ => norms[i] == 0 || norms[j] == 0 ? 0 : dot / (norms[i] * norms[j]),
                };
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        return k;
    }

    /// <summary>K − 1K − K1 + 1K1 in place: the kernel of the points centred in feature space.</summary>
    public static void Center(double[] k, int n)
    {
        var rowMean = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += k[i * n + j];
            rowMean[i] = s / n;
            all += s;
        }
        all /= (double)n * n;
        // K is symmetric: column means equal row means
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) k[i * n + j] += all - rowMean[i] - rowMean[j];
    }

    /// <summary>The projections [n] of the points on the first kernel principal component.</summary>
    public static double[] FirstComponent(double[] x, int n, int dim, KpcaKernel kernel)
    {
        var k = KernelMatrix(x, n, dim, kernel);
        Center(k, n);
        var (values, vectors) = SymmetricEigen.Decompose(k, n);
        int top = n - 1;
        double scale = Math.Sqrt(Math.Max(values[top], 0));
        var u = new double[n];
        int largest = 0;
        for (int i = 0; i < n; i++)
        {
            u[i] = vectors[i][top];
            if (Math.Abs(u[i]) > Math.Abs(u[largest])) largest = i;
        }
        double sign = u[largest] < 0 ? -1 : 1;
        for (int i = 0; i < n; i++) u[i] *= sign * scale;
        return u;
    }

    private static double Dot(double[] x, int i, int j, int dim)
    {
        double s = 0;
        for (int c = 0; c < dim; c++) s += x[i * dim + c] * x[j * dim + c];
        return s;
    }
}
