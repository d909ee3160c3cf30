using System.Runtime.CompilerServices;

namespace NativeCam.Cam.Shapley;

/// <summary>
/// Monte-Carlo Shapley values by permutation sampling with antithetic pairs. Each pair is a random permutation π
/// and its reverse; along a permutation the coalitions are its prefixes ∅ ⊂ {π₀} ⊂ … ⊂ N and player πₖ's
/// marginal contribution is v(prefix k+1) − v(prefix k). φ̂ᵢ is the mean marginal contribution; the standard error
/// comes from the pair means (one independent draw per pair). For a game with at most pairwise interactions each
/// pair is exact: player i gets aᵢ + Σ_{j before i} bᵢⱼ in π and aᵢ + Σ_{j after i} bᵢⱼ in the reverse.
/// v(∅) and v(N) are evaluated once and shared, so the contributions along every permutation telescope to exactly
/// the same v(N) − v(∅); the interior prefixes of all permutations stream through the game in full batches.
/// </summary>
public static class PermutationSampler
{
    /// <summary>Estimates the Shapley values of <paramref name="game"/> over <paramref name="players"/> players.</summary>
    /// <param name="game">The game; the masks it receives are reused between calls (copy them to keep them).</param>
    /// <param name="players">n ≥ 1.</param>
    /// <param name="options">Samples, seed and batch size.</param>
    /// <param name="progress">Called after each batch with (coalitions evaluated, coalitions in all).</param>
    /// <param name="cancellation">Checked between batches.</param>
    public static ShapleyEstimate Estimate(CoalitionGame game, int players, ShapleyOptions options,
        Action<long, long>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(game);
        options.Validate();
        if (players < 1) throw new ArgumentException($"a game needs at least one player; got {players}");
        int n = players, samples = options.Samples;

        var ends = Call(game, [new bool[n], Full(n)]);
        double empty = ends[0], full = ends[1];

        var permutations = Permutations(n, samples, options.Seed);
        // prefix[p][k] = v(first k players of permutation p)
        var prefix = new double[samples][];
        for (int p = 0; p < samples; p++)
        {
            prefix[p] = new double[n + 1];
            prefix[p][0] = empty;
            prefix[p][n] = full;
        }
        EvaluateInterior(game, permutations, prefix, options.BatchSize, progress, cancellation);
        return Accumulate(permutations, prefix, empty, full);
    }

    /// <summary>
    /// <paramref name="samples"/> permutations of 0..n−1 from the seeded generator: even indices are Fisher–Yates
    /// shuffles, each odd index the reverse of the one before it.
    /// </summary>
    public static int[][] Permutations(int n, int samples, int seed)
    {
        var rng = new Random(seed);
        var result = new int[samples][];
        for (int p = 0; p < samples; p += 2)
        {
            var pi = new int[n];
            for (int i = 0; i < n; i++) pi[i] = i;
            for (int i = n - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (pi[i], pi[j]) = (pi[j], pi[i]);
            }
            result[p] = pi;
            if (p + 1 < samples)
            {
                var reverse = (int[])pi.Clone();
                Array.Reverse(reverse);
                result[p + 1] = reverse;
            }
        }
        return result;
    }

    private static bool[] Full(int n)
    {
        var all = new bool[n];
        Array.Fill(all, true);
        return all;
    }

    private static double[] Call(CoalitionGame game, IReadOnlyList<bool[]> coalitions)
    {
        var v = game(coalitions);
        if (v is null || v.Length != coalitions.Count)
            throw new InvalidOperationException($"the game returned {v?.Length ?? 0} values for {coalitions.Count} coalitions");
        return v;
    }

    /// <summary>v of prefixes 1..n−1 of every permutation, batch by batch in a fixed order.</summary>
    private static void EvaluateInterior(CoalitionGame game, int[][] permutations, double[][] prefix, int batchSize,
        Action<long, long>? progress, CancellationToken cancellation)
    {
        int n = prefix[0].Length - 1, interior = n - 1;
        if (interior == 0) return;
        long total = (long)permutations.Length * interior;
        int batch = (int)Math.Min(batchSize, total);
        var masks = new bool[batch][];
        for (int b = 0; b < batch; b++) masks[b] = new bool[n];
        for (long start = 0; start < total; start += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batch, total - start);
            var coalitions = count == batch ? masks : masks[..count];
            for (int b = 0; b < count; b++)
            {
                long g = start + b;
                FillPrefix(masks[b], permutations[g / interior], (int)(g % interior) + 1);
            }
            var v = Call(game, coalitions);
            for (int b = 0; b < count; b++)
            {
                long g = start + b;
                prefix[g / interior][(int)(g % interior) + 1] = v[b];
            }
            progress?.Invoke(start + count, total);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillPrefix(bool[] mask, int[] permutation, int k)
    {
        Array.Clear(mask);
        for (int i = 0; i < k; i++) mask[permutation[i]] = true;
    }

    /// <summary>Marginal contributions per permutation, pair means, and their running mean and variance (Welford).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ShapleyEstimate Accumulate(int[][] permutations, double[][] prefix, double empty, double full)
    {
        int n = prefix[0].Length - 1, pairs = permutations.Length / 2;
        var mean = new double[n];
        var m2 = new double[n];
        var pairMean = new double[n];
        double residual = 0;
        for (int j = 0; j < pairs; j++)
        {
            Array.Clear(pairMean);
            for (int half = 0; half < 2; half++)
            {
                var pi = permutations[2 * j + half];
                var v = prefix[2 * j + half];
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    double delta = v[k + 1] - v[k];
                    pairMean[pi[k]] += 0.5 * delta;
                    sum += delta;
                }
                residual = Math.Max(residual, Math.Abs(sum - (full - empty)));
            }
            for (int i = 0; i < n; i++)
            {
                double d = pairMean[i] - mean[i];
                mean[i] += d / (j + 1);
                m2[i] += d * (pairMean[i] - mean[i]);
            }
        }
        var stdErrors = new double[n];
        for (int i = 0; i < n; i++)
            stdErrors[i] = pairs > 1 ? Math.Sqrt(Math.Max(0, m2[i]) / (pairs - 1) / pairs) : double.NaN;
        return new ShapleyEstimate(mean, stdErrors, permutations.Length, full, empty, residual);
    }
}
