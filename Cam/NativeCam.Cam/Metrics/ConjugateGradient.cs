using System.Runtime.CompilerServices;

namespace NativeCam.Cam.Metrics;

/// <summary>
/// y = A·x for a block of k vectors stored interleaved (entry i of column c at <c>i·k + c</c>); the same matrix A
/// acts on every column. Implementations must write every entry of <c>y</c>.
/// </summary>
public delegate void BlockOperator(ReadOnlySpan<double> x, Span<double> y);

/// <summary>Outcome of a conjugate-gradient solve.</summary>
/// <param name="Iterations">Iterations run (the same for every column; a converged column is frozen).</param>
/// <param name="RelativeResidual">max over columns of ‖b − A·x‖ / ‖b‖ recomputed from the returned x (‖r‖ when b = 0).</param>
/// <param name="Converged">Whether every column reached the tolerance within the iteration cap.</param>
public sealed record ConjugateGradientResult(int Iterations, double RelativeResidual, bool Converged);

/// <summary>
/// Matrix-free preconditioned conjugate gradients for a symmetric positive definite A with several right-hand sides
/// solved in lockstep (each column has its own step lengths). The optional preconditioner z = M⁻¹·r must be a
/// symmetric positive definite operator too (e.g. <see cref="Jacobi"/>, or a symmetric multigrid cycle).
/// </summary>
public static class ConjugateGradient
{
    /// <summary>The default stopping rule: ‖r‖ ≤ 1e-6·‖b‖ per column.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>
    /// Solves A·X = B. <paramref name="x"/> holds the initial guess and receives the solution; <paramref name="b"/>
    /// and <paramref name="x"/> have n·<paramref name="columns"/> entries, interleaved. <paramref name="preconditioner"/>
    /// (null for none) applies M⁻¹ to all columns at once.
    /// <paramref name="maxIterations"/> ≤ 0 means 10·n + 100.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ConjugateGradientResult Solve(BlockOperator apply, ReadOnlySpan<double> b, Span<double> x, int columns,
        BlockOperator? preconditioner = null, double tolerance = DefaultTolerance, int maxIterations = 0)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (b.Length != x.Length || b.Length % columns != 0)
            throw new ArgumentException($"b has {b.Length} entries and x {x.Length}; both must be n·{columns}");
        int k = columns, total = b.Length, n = total / k;
        if (!(tolerance > 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the tolerance must be positive");
        if (maxIterations <= 0)
            maxIterations = 10 * n + 100;
        if (n == 0)
            return new ConjugateGradientResult(0, 0, true);

        var r = new double[total];
        var z = new double[total];
        var p = new double[total];
        var q = new double[total];
        var bNorm = ColumnNorms(b, k);
        var target = new double[k];
        for (int c = 0; c < k; c++)
            target[c] = tolerance * (bNorm[c] > 0 ? bNorm[c] : 1);

        // r = b − A·x, z = D⁻¹·r, p = z, ρ = rᵀz per column
        apply(x, q);
        for (int i = 0; i < total; i++)
            r[i] = b[i] - q[i];
        Precondition(r, z, preconditioner);
        z.CopyTo(p, 0);
        var rho = ColumnDots(r, z, k);
        var active = new bool[k];
        var rNorm = ColumnNorms(r, k);
        int remaining = 0;
        for (int c = 0; c < k; c++)
            if (active[c] = rNorm[c] > target[c])
                remaining++;

        var alpha = new double[k];
        var beta = new double[k];
        int iterations = 0;
        while (remaining > 0 && iterations < maxIterations)
        {
            iterations++;
            apply(p, q);
            var pq = ColumnDots(p, q, k);
            for (int c = 0; c < k; c++)
                alpha[c] = active[c] && pq[c] > 0 ? rho[c] / pq[c] : 0;
            for (int i = 0; i < total; i += k)
                for (int c = 0; c < k; c++)
                {
                    x[i + c] += alpha[c] * p[i + c];
                    r[i + c] -= alpha[c] * q[i + c];
                }
            rNorm = ColumnNorms(r, k);
            for (int c = 0; c < k; c++)
                if (active[c] && (rNorm[c] <= target[c] || !(pq[c] > 0)))
                {
                    active[c] = false; // converged (or breakdown: A not positive definite on this column)
                    remaining--;
                }
            if (remaining == 0)
                break;
            Precondition(r, z, preconditioner);
            var rhoNext = ColumnDots(r, z, k);
            for (int c = 0; c < k; c++)
            {
                beta[c] = active[c] && rho[c] != 0 ? rhoNext[c] / rho[c] : 0;
                rho[c] = rhoNext[c];
            }
            for (int i = 0; i < total; i += k)
                for (int c = 0; c < k; c++)
                    p[i + c] = active[c] ? z[i + c] + beta[c] * p[i + c] : 0;
        }

        // report the true residual of the returned x, not the recurrence's
        apply(x, q);
        for (int i = 0; i < total; i++)
            r[i] = b[i] - q[i];
        rNorm = ColumnNorms(r, k);
        double worst = 0;
        bool converged = true;
        for (int c = 0; c < k; c++)
        {
            worst = Math.Max(worst, rNorm[c] / (bNorm[c] > 0 ? bNorm[c] : 1));
            converged &= rNorm[c] <= target[c] * 1.5; // the recurrence and the true residual differ by rounding only
        }
        return new ConjugateGradientResult(iterations, worst, converged);
    }

    /// <summary>The Jacobi preconditioner z = D⁻¹·r for <paramref name="columns"/> interleaved columns.</summary>
    public static BlockOperator Jacobi(double[] inverseDiagonal, int columns)
    {
        ArgumentNullException.ThrowIfNull(inverseDiagonal);
        return (r, z) =>
        {
            if (r.Length != inverseDiagonal.Length * columns)
                throw new ArgumentException($"the preconditioner has {inverseDiagonal.Length} entries, the system {r.Length / columns} unknowns");
            for (int i = 0, j = 0; j < inverseDiagonal.Length; j++, i += columns)
                for (int c = 0; c < columns; c++)
                    z[i + c] = inverseDiagonal[j] * r[i + c];
        };
    }

    private static void Precondition(double[] r, double[] z, BlockOperator? preconditioner)
    {
        if (preconditioner is null)
            r.CopyTo(z, 0);
        else
            preconditioner(r, z);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double[] ColumnDots(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int k)
    {
        var dots = new double[k];
        int total = Math.Min(a.Length, b.Length);
        fixed (double* pa = a, pb = b)
        {
            if (k == 3)
            {
                double d0 = 0, d1 = 0, d2 = 0;
                for (int i = 0; i + 2 < total; i += 3)
                {
                    d0 += pa[i] * pb[i];
                    d1 += pa[i + 1] * pb[i + 1];
                    d2 += pa[i + 2] * pb[i + 2];
                }
                (dots[0], dots[1], dots[2]) = (d0, d1, d2);
                return dots;
            }
            for (int i = 0; i + k <= total; i += k)
                for (int c = 0; c < k; c++)
                    dots[c] += pa[i + c] * pb[i + c];
        }
        return dots;
    }

    private static double[] ColumnNorms(ReadOnlySpan<double> a, int k)
    {
        var norms = ColumnDots(a, a, k);
        for (int c = 0; c < k; c++)
            norms[c] = Math.Sqrt(norms[c]);
        return norms;
    }
}
