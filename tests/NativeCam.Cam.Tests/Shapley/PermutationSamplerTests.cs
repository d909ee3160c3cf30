using NativeCam.Cam.Shapley;

namespace NativeCam.Cam.Tests.Shapley;

public class PermutationSamplerTests
{
    /// <summary>v(S) = Σ_{i∈S} aᵢ + Σ_{i&lt;j∈S} bᵢⱼ with random a and symmetric b.</summary>
    private sealed class QuadraticGame
    {
        public QuadraticGame(int n, int seed)
        {
            var rng = new Random(seed);
            A = Enumerable.Range(0, n).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
            B = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) B[i, j] = B[j, i] = 2 * rng.NextDouble() - 1;
        }

        public double[] A { get; }
        public double[,] B { get; }

        public double Value(bool[] s)
        {
            double v = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (!s[i]) continue;
                v += A[i];
                for (int j = i + 1; j < s.Length; j++) if (s[j]) v += B[i, j];
            }
            return v;
        }

        /// <summary>φᵢ = aᵢ + ½ Σⱼ bᵢⱼ.</summary>
        public double[] ClosedForm() => A.Select((a, i) => a + 0.5 * Enumerable.Range(0, A.Length).Sum(j => B[i, j])).ToArray();
    }

    /// <summary>A non-quadratic game: softplus of a weighted sum minus a threshold, plus a three-way interaction.</summary>
    private static double Softplus(bool[] s, double[] w)
    {
        double z = -1.5;
        for (int i = 0; i < s.Length; i++) if (s[i]) z += w[i];
        double triple = s[0] && s[1] && s[2] ? 0.7 : 0;
        return Math.Log(1 + Math.Exp(3 * z)) + triple;
    }

    private static readonly double[] Weights = [0.9, -0.4, 0.6, 0.3, 0.8, -0.7, 0.2, 0.5];

    private static CoalitionGame Batched(Func<bool[], double> v, int maxBatch, List<int>? sizes = null) => coalitions =>
    {
        Assert.InRange(coalitions.Count, 1, maxBatch);
        sizes?.Add(coalitions.Count);
        return coalitions.Select(v).ToArray();
    };

    [Fact]
    public void EachAntitheticPairIsExactForAQuadraticGame()
    {
        var game = new QuadraticGame(12, 5);
        var exact = game.ClosedForm();
        for (int seed = 0; seed < 5; seed++)
        {
            var one = PermutationSampler.Estimate(Batched(game.Value, 16), 12, new ShapleyOptions { Samples = 2, Seed = seed, BatchSize = 16 });
            for (int i = 0; i < 12; i++) Assert.Equal(exact[i], one.Values[i], 12);
            Assert.All(one.StdErrors, se => Assert.True(double.IsNaN(se), "one pair has no spread to measure"));
        }
        var many = PermutationSampler.Estimate(Batched(game.Value, 16), 12, new ShapleyOptions { Samples = 20, Seed = 9, BatchSize = 16 });
        for (int i = 0; i < 12; i++) Assert.Equal(exact[i], many.Values[i], 12);
        Assert.All(many.StdErrors, se => Assert.True(se < 1e-12, $"std error {se}"));
        Assert.True(many.EfficiencyResidual < 1e-12);
    }

    [Fact]
    public void ANonQuadraticGameIsWithinFourStdErrorsOfTheEnumeratedValues()
    {
        int n = Weights.Length;
        double V(bool[] s) => Softplus(s, Weights);
        var exact = ExactShapley.Values(n, bits => V(ExactShapley.Mask(n, bits)));
        var e = PermutationSampler.Estimate(Batched(V, 37), n, new ShapleyOptions { Samples = 2000, Seed = 1, BatchSize = 37 });
        Assert.Equal(2000, e.Samples);
        for (int i = 0; i < n; i++)
        {
            Assert.True(e.StdErrors[i] > 1e-4, $"player {i}: a non-quadratic game has sampling noise");
            Assert.True(Math.Abs(e.Values[i] - exact[i]) < 4 * e.StdErrors[i], $"player {i}: {e.Values[i]} vs exact {exact[i]} ± {e.StdErrors[i]}");
        }
        // efficiency: exact per permutation, so the estimate sums to v(N) − v(∅) to rounding
        double full = V(Enumerable.Repeat(true, n).ToArray()), empty = V(new bool[n]);
        Assert.Equal(full, e.FullValue);
        Assert.Equal(empty, e.EmptyValue);
        Assert.True(e.EfficiencyResidual < 1e-12);
        Assert.True(Math.Abs(e.Sum - (full - empty)) < 1e-12);
        Assert.True(Math.Abs(exact.Sum() - (full - empty)) < 1e-12);
    }

    [Fact]
    public void StdErrorsShrinkLikeOneOverTheSquareRootOfTheSamples()
    {
        int n = Weights.Length;
        double V(bool[] s) => Softplus(s, Weights);
        double Mean(int samples) => Enumerable.Range(0, 4).Average(seed =>
            PermutationSampler.Estimate(Batched(V, 64), n, new ShapleyOptions { Samples = samples, Seed = 100 + seed }).MeanStdError);
        double ratio = Mean(200) / Mean(3200); // √16 = 4
        Assert.InRange(ratio, 3.2, 5.0);
    }

    [Fact]
    public void SeededAndIndependentOfTheBatchSize()
    {
        int n = Weights.Length;
        double V(bool[] s) => Softplus(s, Weights);
        var sizes = new List<int>();
        var a = PermutationSampler.Estimate(Batched(V, 5, sizes), n, new ShapleyOptions { Samples = 10, Seed = 3, BatchSize = 5 });
        var b = PermutationSampler.Estimate(Batched(V, 1000), n, new ShapleyOptions { Samples = 10, Seed = 3, BatchSize = 1000 });
        var c = PermutationSampler.Estimate(Batched(V, 5), n, new ShapleyOptions { Samples = 10, Seed = 4, BatchSize = 5 });
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.StdErrors, b.StdErrors);
        Assert.NotEqual(a.Values, c.Values);
        // v(∅) and v(N) once, then the n − 1 interior prefixes of each of the 10 permutations in full batches
        Assert.Equal(2 + 10 * (n - 1), sizes.Sum());
        Assert.All(sizes.Skip(1).SkipLast(1), s => Assert.Equal(5, s));
    }

    [Fact]
    public void PermutationsComeInReversedPairs()
    {
        var p = PermutationSampler.Permutations(9, 6, 42);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(Enumerable.Range(0, 9), p[2 * j].Order());
            Assert.Equal(p[2 * j].Reverse(), p[2 * j + 1]);
        }
        Assert.NotEqual(p[0], p[2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-2)]
    public void OddOrNonPositiveSamplesAreRejected(int samples)
    {
        var e = Assert.Throws<ArgumentException>(() =>
            PermutationSampler.Estimate(_ => [], 3, new ShapleyOptions { Samples = samples }));
        Assert.Contains("even", e.Message);
    }

    [Fact]
    public void OnePlayerGetsTheWholeValue()
    {
        var e = PermutationSampler.Estimate(Batched(s => s[0] ? 2.5 : 0.5, 64), 1, new ShapleyOptions { Samples = 4 });
        Assert.Equal(2.0, e.Values[0]);
        Assert.Equal(0.0, e.StdErrors[0]);
    }
}
