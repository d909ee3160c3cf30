using NativeCam.Cam.Methods;
using NativeCam.Engine;

namespace NativeCam.Cam.Smoothing;

/// <summary>
/// The projection used by EigenCAM and eigen-smooth: per image, X (hw×C, one row per position) with centred
/// columns, projected on its first right singular vector v: p = X̃·v. v comes from power iteration in double on the
/// smaller Gram matrix (X̃ᵀX̃ or X̃X̃ᵀ). Sign (an SVD leaves it free): Σ_k v_k &gt; 0, which is the same as p
/// correlating positively with the plain channel sum Σ_k X_k (since X̃ᵀX̃·v = σ²v); if Σ_k v_k = 0, the largest-|·|
/// component of v is made positive. Non-finite inputs count as 0.
/// </summary>
public static class EigenProjection
{
    /// <summary>Iteration cap of the power method.</summary>
    public const int MaxIterations = 20000;

    /// <summary>Projections [N, h, w] of a field [N, C, h, w], on the field's backend.</summary>
    /// <remarks>A host algorithm (power iteration on a Gram matrix): the field is downloaded once and the projections
    /// uploaded once.</remarks>
    public static Tensor Project(CamField x)
    {
        var result = new double[x.N * x.Plane];
        for (int n = 0; n < x.N; n++)
            ProjectImage(x, n).CopyTo(result, n * x.Plane);
        return Tensor.FromArray(result, [x.N, x.H, x.W], x.Backend);
    }

    /// <summary>The projection of image <paramref name="n"/>, [h·w].</summary>
    public static double[] ProjectImage(CamField x, int n)
    {
        int rows = x.Plane, cols = x.C;
        var m = new double[rows * cols]; // row-major hw×C
        for (int k = 0; k < cols; k++)
        {
            var plane = x.PlaneOf(n, k);
            double mean = 0;
            for (int r = 0; r < rows; r++) mean += Finite(plane[r]);
            mean /= rows;
            for (int r = 0; r < rows; r++) m[r * cols + k] = Finite(plane[r]) - mean;
        }
        var v = FirstRightSingularVector(m, rows, cols);
        var p = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double acc = 0;
            for (int k = 0; k < cols; k++) acc += m[r * cols + k] * v[k];
            p[r] = acc;
        }
        return p;
    }

    /// <summary>The unit first right singular vector of the row-major rows×cols matrix (sign as in the class
    /// remarks); all zeros for a zero matrix.</summary>
    public static double[] FirstRightSingularVector(double[] m, int rows, int cols)
    {
        double[] v;
        if (cols <= rows)
            v = TopEigenvector(Gram(m, rows, cols, transpose: true), cols);
        else
        {
            var u = TopEigenvector(Gram(m, rows, cols, transpose: false), rows);
            v = new double[cols];
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < cols; k++) v[k] += m[r * cols + k] * u[r];
            Normalize(v);
        }
        double sum = v.Sum();
        if (sum < 0 || (sum == 0 && LargestMagnitude(v) < 0))
            for (int k = 0; k < v.Length; k++) v[k] = -v[k];
        return v;
    }

    /// <summary>MᵀM (cols×cols) when <paramref name="transpose"/>, else MMᵀ (rows×rows).</summary>
    private static double[] Gram(double[] m, int rows, int cols, bool transpose)
    {
        int d = transpose ? cols : rows;
        var g = new double[d * d];
        if (transpose)
        {
            for (int r = 0; r < rows; r++)
                for (int a = 0; a < cols; a++)
                {
                    double x = m[r * cols + a];
                    if (x == 0) continue;
                    for (int b = a; b < cols; b++) g[a * d + b] += x * m[r * cols + b];
                }
        }
        else
        {
            for (int a = 0; a < rows; a++)
                for (int b = a; b < rows; b++)
                {
                    double acc = 0;
                    for (int k = 0; k < cols; k++) acc += m[a * cols + k] * m[b * cols + k];
                    g[a * d + b] = acc;
                }
        }
        for (int a = 0; a < d; a++)
            for (int b = 0; b < a; b++) g[a * d + b] = g[b * d + a];
        return g;
    }

    /// <summary>The unit eigenvector of the largest eigenvalue of a symmetric positive semi-definite d×d matrix.</summary>
    private static double[] TopEigenvector(double[] g, int d)
    {
        // start from the column of largest norm: it lies in the range of g and is deterministic
        int best = 0;
        double bestNorm = -1;
        for (int j = 0; j < d; j++)
        {
            double s = 0;
            for (int i = 0; i < d; i++) s += g[i * d + j] * g[i * d + j];
            if (s > bestNorm) (best, bestNorm) = (j, s);
        }
        var v = new double[d];
        if (bestNorm <= 0) return v;
        for (int i = 0; i < d; i++) v[i] = g[i * d + best];
        Normalize(v);
        var next = new double[d];
        for (int it = 0; it < MaxIterations; it++)
        {
            for (int i = 0; i < d; i++)
            {
                double acc = 0;
                for (int j = 0; j < d; j++) acc += g[i * d + j] * v[j];
                next[i] = acc;
            }
            if (Normalize(next) == 0) return next;
            double diff = 0;
            for (int i = 0; i < d; i++) diff += (next[i] - v[i]) * (next[i] - v[i]);
            (v, next) = (next, v);
            if (diff < 1e-26) break;
        }
        return v;
    }

    private static double Normalize(double[] v)
    {
        double s = Math.Sqrt(v.Sum(x => x * x));
        if (s > 0) for (int i = 0; i < v.Length; i++) v[i] /= s;
        return s;
    }

    private static double LargestMagnitude(double[] v)
    {
        double best = 0;
        foreach (double x in v) if (Math.Abs(x) > Math.Abs(best)) best = x;
        return best;
    }

    private static double Finite(double x) => double.IsFinite(x) ? x : 0;
}
