using NativeCam.Cam.Shapley;

namespace NativeCam.Cam.Metrics;

/// <summary>
/// Faithfulness correlation (Bhatt et al., 2020) as Quantus defines it (defaults nr_runs 100, subset_size 224,
/// perturb_baseline "black", softmax off): for each of R runs a random subset S of |S| pixels (without replacement)
/// is set, in every channel, to the "black" value min(x) (the smallest value of the whole input); the score is
/// Pearson's correlation over the runs between Σ_{i∈S} a_i and u(x) − u(x_S), u the explained class's logit.
/// The attribution a is the final map (non-negative, so Quantus' normalise_by_negative only rescales it, which a
/// correlation ignores). NaN when either series is constant. Subsets come from <see cref="Random"/> seeded per image.
/// </summary>
public static class FaithfulnessCorrelation
{
    /// <summary>The score of one image.</summary>
    /// <param name="logits">The model as a batched function to logits.</param>
    /// <param name="input">x (C·H·W).</param>
    /// <param name="map">a (H·W).</param>
    /// <param name="classIndex">The explained class.</param>
    /// <param name="runs">R.</param>
    /// <param name="subset">|S| (at most H·W).</param>
    /// <param name="seed">Seed of the subsets.</param>
    public static double Score(ProbabilityModel logits, float[] input, float[] map, int classIndex, int runs, int subset, int seed)
    {
        int px = map.Length;
        if (subset > px) throw new ArgumentException($"--faithfulness-subset {subset} exceeds the {px} pixels of the map");
        var subsets = Subsets(px, runs, subset, seed);
        float black = input.Min();
        var inputs = new float[runs + 1][];
        inputs[0] = input;
        for (int r = 0; r < runs; r++)
        {
            var x = (float[])input.Clone();
            foreach (int q in subsets[r])
                for (int c = q; c < x.Length; c += px) x[c] = black;
            inputs[r + 1] = x;
        }
        var out_ = logits(inputs);
        double y = out_[0][classIndex];
        var deltas = new double[runs];
        var sums = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            deltas[r] = y - out_[r + 1][classIndex];
            double s = 0;
            foreach (int q in subsets[r]) s += map[q];
            sums[r] = s;
        }
        return RankStatistics.Pearson(sums, deltas);
    }

    /// <summary>R subsets of <paramref name="size"/> distinct pixels of <paramref name="pixels"/> (partial Fisher–Yates per run).</summary>
    public static int[][] Subsets(int pixels, int runs, int size, int seed)
    {
        var rng = new Random(seed);
        var order = Enumerable.Range(0, pixels).ToArray();
        var result = new int[runs][];
        for (int r = 0; r < runs; r++)
        {
            for (int i = 0; i < size; i++)
            {
                int j = i + rng.Next(pixels - i);
                (order[i], order[j]) = (order[j], order[i]);
            }
            result[r] = order[..size];
        }
        return result;
    }
}
