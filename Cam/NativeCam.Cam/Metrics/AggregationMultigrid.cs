using System.Runtime.CompilerServices;

namespace NativeCam.Cam.Metrics;

/// <summary>
/// A symmetric multigrid V-cycle used as the preconditioner z ≈ A⁻¹·r of conjugate gradients. Levels merge the
/// unknowns of 2×2 pixel blocks (piecewise-constant prolongation P, restriction Pᵀ, Galerkin coarse matrices
/// Pᵀ·A·P, which stay symmetric positive definite, and an over-corrected coarse correction); one forward Gauss–Seidel sweep before the coarse correction and
/// one backward sweep after it make the cycle a symmetric operator, as CG requires; the coarsest level is solved
/// exactly by a dense Cholesky factorisation.
/// </summary>
internal sealed class AggregationMultigrid
{
    private const int DirectBelow = 200; // unknowns of the coarsest level

    private readonly SparseLevel[] _levels;
    private readonly int[][] _aggregates; // _aggregates[l][i]: the level-(l+1) unknown of level-l unknown i
    private readonly double[][] _residual, _rhs, _correction;
    private readonly double[] _cholesky, _choleskyTransposed;
    private readonly int _channels;

    public AggregationMultigrid(SparseLevel fine)
    {
        _channels = fine.Channels;
        var levels = new List<SparseLevel> { fine };
        var aggregates = new List<int[]>();
        while (levels[^1].Count > DirectBelow)
        {
            var (coarse, aggregate) = levels[^1].Coarsen();
            if (coarse.Count >= levels[^1].Count)
                break;
            levels.Add(coarse);
            aggregates.Add(aggregate);
        }
        _levels = [.. levels];
        _aggregates = [.. aggregates];
        _residual = _levels.Select(l => new double[l.Count * _channels]).ToArray();
        _rhs = _levels.Select(l => new double[l.Count * _channels]).ToArray();
        _correction = _levels.Select(l => new double[l.Count * _channels]).ToArray();
        _cholesky = Factor(_levels[^1]);
        int nc = _levels[^1].Count;
        _choleskyTransposed = new double[nc * nc];
        for (int i = 0; i < nc; i++)
            for (int j = 0; j < nc; j++)
                _choleskyTransposed[j * nc + i] = _cholesky[i * nc + j];
    }

    /// <summary>
    /// Over-correction α of the coarse-grid correction z += α·P·e_c. Piecewise-constant prolongation underestimates
    /// smooth errors; α = 1.7 cuts CG iterations on 224×224 ROAD masks from about 23 to 11. Any α in (0, 2) keeps the
    /// cycle symmetric positive definite (the coarse correction I − α·P·B_c⁻¹·Pᵀ·A then contracts in the A-norm).
    /// </summary>
    internal double CoarseScale { get; init; } = 1.7;

    /// <summary>Number of levels, the finest included.</summary>
    public int Depth => _levels.Length;

    /// <summary>z = V-cycle(r), as a <see cref="BlockOperator"/> over the finest level.</summary>
    public void Precondition(ReadOnlySpan<double> r, Span<double> z) => Cycle(0, r, z);

    private void Cycle(int l, ReadOnlySpan<double> r, Span<double> z)
    {
        var level = _levels[l];
        if (l == _levels.Length - 1)
        {
            SolveDense(level.Count, r, z);
            return;
        }
        int k = _channels;
        z.Clear();
        level.GaussSeidel(r, z, backward: false);
        var residual = _residual[l].AsSpan();
        level.Apply(z, residual);
        var coarseRhs = _rhs[l + 1].AsSpan();
        coarseRhs.Clear();
        var aggregate = _aggregates[l];
        Restrict(r, residual, coarseRhs, aggregate, k);
        var coarseCorrection = _correction[l + 1].AsSpan();
        Cycle(l + 1, coarseRhs, coarseCorrection);
        Prolong(coarseCorrection, z, aggregate, k, CoarseScale);
        level.GaussSeidel(r, z, backward: true);
    }

    // coarse[a] += Σ_{i in aggregate a} (r_i − (A·z)_i), that is Pᵀ·(r − A·z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Restrict(ReadOnlySpan<double> r, ReadOnlySpan<double> az, Span<double> coarse, int[] aggregate, int k)
    {
        int n = aggregate.Length;
        if (r.Length < n * k || az.Length < n * k)
            throw new ArgumentException("residual blocks shorter than the level");
        fixed (double* pr = r, pa = az)
        {
            for (int i = 0; i < n; i++)
            {
                int row = i * k, target = aggregate[i] * k;
                for (int c = 0; c < k; c++)
                    coarse[target + c] += pr[row + c] - pa[row + c];
            }
        }
    }

    // z += α·P·e_c
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Prolong(ReadOnlySpan<double> coarse, Span<double> z, int[] aggregate, int k, double alpha)
    {
        int n = aggregate.Length;
        if (z.Length < n * k)
            throw new ArgumentException("correction block shorter than the level");
        fixed (double* pz = z)
        {
            for (int i = 0; i < n; i++)
            {
                int row = i * k, source = aggregate[i] * k;
                for (int c = 0; c < k; c++)
                    pz[row + c] += alpha * coarse[source + c];
            }
        }
    }

    // dense lower-triangular L with A = L·Lᵀ, row-major n×n
    private static double[] Factor(SparseLevel level)
    {
        int n = level.Count;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = level.Diagonal[i];
            for (int e = level.RowStart[i]; e < level.RowStart[i + 1]; e++)
                a[i * n + level.Column[e]] = level.Value[e];
        }
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int m = 0; m < j; m++)
                d -= a[j * n + m] * a[j * n + m];
            if (!(d > 0))
                throw new InvalidOperationException($"the coarsest imputation matrix is not positive definite (pivot {j}: {d:G3})");
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int m = 0; m < j; m++)
                    s -= a[i * n + m] * a[j * n + m];
                a[i * n + j] = s / d;
            }
        }
        return a;
    }

    private void SolveDense(int n, ReadOnlySpan<double> r, Span<double> z)
    {
        int k = _channels;
        var l = _cholesky;
        var lt = _choleskyTransposed;
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < n; i++) // L·y = r
            {
                double s = r[i * k + c];
                for (int m = 0; m < i; m++)
                    s -= l[i * n + m] * z[m * k + c];
                z[i * k + c] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) // Lᵀ·z = y
            {
                double s = z[i * k + c];
                for (int m = i + 1; m < n; m++)
                    s -= lt[i * n + m] * z[m * k + c];
                z[i * k + c] = s / l[i * n + i];
            }
        }
    }
}
