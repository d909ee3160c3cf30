namespace NativeCam.Cam.Metrics;

/// <summary>
/// The noisy linear imputation of ROAD (Rong et al. 2022). Every removed pixel takes, in each channel, the weighted
/// mean of its in-image 8 neighbours (weight 1/6 for the 4 edge neighbours, 1/12 for the 4 diagonal ones), kept
/// pixels being fixed knowns; then 𝒩(0, σ²) noise is added to the removed pixels.
/// </summary>
/// <remarks>
/// As in the reference implementation, a neighbour outside the image drops out and the weights are renormalised over
/// the neighbours that exist: with d_i = Σ_{j ∈ N(i)} w_ij, the equation of removed pixel i is
/// d_i·x_i − Σ_{j removed} w_ij·x_j = Σ_{j kept} w_ij·v_j. Written this way (each row of "x_i = weighted mean"
/// multiplied by d_i) the matrix D − W is symmetric, because w_ij = w_ji, and it is a graph Laplacian with Dirichlet
/// values at the kept pixels: positive definite whenever at least one pixel is kept (every connected set of removed
/// pixels then touches a kept one). So conjugate gradients apply directly; neither the normal equations (which square
/// the condition number) nor BiCGSTAB are needed. The row-normalised form
/// x_i − Σ (w_ij/d_i)·x_j is not symmetric at the image border, which is why it is not the one solved.
/// CG is preconditioned by a symmetric aggregation multigrid V-cycle (<see cref="AggregationMultigrid"/>), which keeps
/// the iteration count small and nearly independent of the size of the removed regions; Jacobi alone needs hundreds
/// of iterations on a 224×224 image with large removed regions. The initial guess is the mean of the kept pixels.
/// </remarks>
public static class NoisyLinearImputer
{
    /// <summary>Weight of an edge neighbour (left, right, up, down).</summary>
    public const double EdgeWeight = 1.0 / 6;

    /// <summary>Weight of a diagonal neighbour.</summary>
    public const double DiagonalWeight = 1.0 / 12;

    // left and right neighbours last: in a Gauss–Seidel sweep they are the values just written, so the other terms
    // of the row's sum can be computed before they are ready
    private static readonly (int Dy, int Dx, double W)[] Neighbours =
    [
        (-1, 0, EdgeWeight), (1, 0, EdgeWeight), (-1, -1, DiagonalWeight), (-1, 1, DiagonalWeight),
        (1, -1, DiagonalWeight), (1, 1, DiagonalWeight), (0, 1, EdgeWeight), (0, -1, EdgeWeight),
    ];

    /// <summary>
    /// Imputes the removed pixels of a CHW image (<paramref name="removed"/>: H·W flags, true = removed). Noise
    /// 𝒩(0, <paramref name="noiseStd"/>²) is drawn from <see cref="Random"/>(<paramref name="seed"/>) by the
    /// Box–Muller transform, channel by channel, removed pixels in increasing index. Kept pixels are copied
    /// unchanged. Throws <see cref="InvalidOperationException"/> when the solver does not converge.
    /// </summary>
    public static float[] Impute(float[] input, bool[] removed, int height, int width, double noiseStd = 0.01, int seed = 0) =>
        Impute(input, removed, height, width, noiseStd, seed, out _);

    /// <summary>As <see cref="Impute(float[], bool[], int, int, double, int)"/>, also returning the solver's report.</summary>
    public static float[] Impute(float[] input, bool[] removed, int height, int width, double noiseStd, int seed,
        out ConjugateGradientResult solve)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(removed);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        int plane = height * width;
        if (removed.Length != plane)
            throw new ArgumentException($"the removal mask has {removed.Length} values, the {height}×{width} grid {plane}", nameof(removed));
        if (input.Length == 0 || input.Length % plane != 0)
            throw new ArgumentException($"input of {input.Length} values is not a whole number of {height}×{width} planes", nameof(input));
        if (!double.IsFinite(noiseStd) || noiseStd < 0)
            throw new ArgumentOutOfRangeException(nameof(noiseStd), noiseStd, "the noise standard deviation must be finite and ≥ 0");
        int channels = input.Length / plane;
        int removedCount = removed.Count(r => r);
        var result = (float[])input.Clone();
        if (removedCount == 0)
        {
            solve = new ConjugateGradientResult(0, 0, true);
            return result;
        }
        if (removedCount == plane)
            throw new ArgumentException("every pixel is removed: at least one must be kept to impute from", nameof(removed));

        var grid = new double[input.Length];
        for (int i = 0; i < grid.Length; i++)
            grid[i] = input[i];
        solve = Solve(grid, removed, height, width, channels);
        if (!solve.Converged)
            throw new InvalidOperationException(
                $"the imputation system ({removedCount} removed pixels of {height}×{width}) did not converge: relative residual " +
                $"{solve.RelativeResidual:G3} after {solve.Iterations} iterations (tolerance {ConjugateGradient.DefaultTolerance:G3})");

        var rng = new Random(seed);
        var gauss = new GaussianSource(rng);
        for (int c = 0; c < channels; c++)
            for (int p = 0; p < plane; p++)
                if (removed[p])
                {
                    double noise = noiseStd > 0 ? noiseStd * gauss.Next() : 0;
                    result[c * plane + p] = (float)(grid[c * plane + p] + noise);
                }
        return result;
    }

    /// <summary>
    /// Solves the system in place: on entry <paramref name="grid"/> (C planes of H·W) holds the kept values, on exit
    /// also the removed ones.
    /// </summary>
    private static ConjugateGradientResult Solve(double[] grid, bool[] removed, int h, int w, int channels)
    {
        var system = new ImputationSystem(grid, removed, h, w, channels, Neighbours);
        var matrix = system.Matrix;
        int n = matrix.Count, plane = h * w;
        KeptMeanGuess(grid, removed, plane, channels);
        var x = new double[n * channels];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                x[i * channels + c] = grid[c * plane + matrix.Pixel[i]];
        var multigrid = new AggregationMultigrid(matrix);
        var result = ConjugateGradient.Solve(matrix.Apply, system.RightHandSide, x, channels, multigrid.Precondition);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                grid[c * plane + matrix.Pixel[i]] = x[i * channels + c];
        return result;
    }

    private static void KeptMeanGuess(double[] grid, bool[] removed, int plane, int channels)
    {
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            int count = 0;
            for (int p = 0; p < plane; p++)
                if (!removed[p])
                {
                    sum += grid[c * plane + p];
                    count++;
                }
            double mean = count > 0 ? sum / count : 0;
            for (int p = 0; p < plane; p++)
                if (removed[p])
                    grid[c * plane + p] = mean;
        }
    }

    /// <summary>Standard normal draws by the Box–Muller transform, both values of each pair used in turn.</summary>
    private sealed class GaussianSource(Random rng)
    {
        private double _spare;
        private bool _hasSpare;

        public double Next()
        {
            if (_hasSpare)
            {
                _hasSpare = false;
                return _spare;
            }
            double u1 = 1 - rng.NextDouble(); // (0, 1]: the logarithm stays finite
            double u2 = rng.NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            _spare = radius * Math.Sin(2 * Math.PI * u2);
            _hasSpare = true;
            return radius * Math.Cos(2 * Math.PI * u2);
        }
    }
}
