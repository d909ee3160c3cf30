using NativeCam.Cam.Metrics;

namespace NativeCam.Cam.Tests.Metrics;

public class RoadConjugateGradientTests
{
    // A = QᵀQ + n·I (symmetric positive definite), dense, applied column by column to the interleaved block
    private static double[,] SpdMatrix(int n, int seed)
    {
        var rng = new Random(seed);
        var q = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                q[i, j] = 2 * rng.NextDouble() - 1;
        var a = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++)
                    s += q[k, i] * q[k, j];
                a[i, j] = s;
            }
        return a;
    }

    private static BlockOperator Dense(double[,] a, int columns) => (x, y) =>
    {
        int n = a.GetLength(0);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < columns; c++)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                    s += a[i, j] * x[j * columns + c];
                y[i * columns + c] = s;
            }
    };

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void SolvesAKnownSpdSystemLikeGaussianElimination(int columns, bool jacobi)
    {
        const int n = 30;
        var a = SpdMatrix(n, 7);
        var rng = new Random(11);
        var b = Enumerable.Range(0, n * columns).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var preconditioner = jacobi ? ConjugateGradient.Jacobi(Enumerable.Range(0, n).Select(i => 1 / a[i, i]).ToArray(), columns) : null;
        var x = new double[n * columns];
        var result = ConjugateGradient.Solve(Dense(a, columns), b, x, columns, preconditioner);
        Assert.True(result.Converged);
        Assert.True(result.RelativeResidual <= 1.5e-6, $"residual {result.RelativeResidual}");
        Assert.InRange(result.Iterations, 1, n + 5); // CG is exact in n steps up to rounding
        for (int c = 0; c < columns; c++)
        {
            var expected = RoadDenseReference.Solve((double[,])a.Clone(), Enumerable.Range(0, n).Select(i => b[i * columns + c]).ToArray());
            for (int i = 0; i < n; i++)
                Assert.Equal(expected[i], x[i * columns + c], 1e-6);
        }
    }

    [Fact]
    public void ExactInitialGuessNeedsNoIteration()
    {
        var a = SpdMatrix(10, 3);
        var solution = Enumerable.Range(0, 10).Select(i => (double)i - 4).ToArray();
        var b = new double[10];
        Dense(a, 1)(solution, b);
        var x = (double[])solution.Clone();
        var result = ConjugateGradient.Solve(Dense(a, 1), b, x, 1);
        Assert.Equal(0, result.Iterations);
        Assert.True(result.Converged);
    }

    [Fact]
    public void IterationCapReportsNonConvergence()
    {
        var a = SpdMatrix(40, 5);
        var b = Enumerable.Range(0, 40).Select(i => Math.Sin(i)).ToArray();
        var x = new double[40];
        var result = ConjugateGradient.Solve(Dense(a, 1), b, x, 1, maxIterations: 2);
        Assert.False(result.Converged);
        Assert.Equal(2, result.Iterations);
        Assert.True(result.RelativeResidual > 1e-6);
    }

    [Fact]
    public void MismatchedSizesAreRejected()
    {
        var op = Dense(SpdMatrix(4, 1), 2);
        Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, new double[8], new double[6], 2));
        Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(op, new double[8], new double[8], 2, ConjugateGradient.Jacobi(new double[3], 2)));
    }
}
