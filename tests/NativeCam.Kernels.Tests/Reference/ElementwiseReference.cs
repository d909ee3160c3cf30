using NativeCam.Kernels;

namespace NativeCam.Kernels.Tests.Reference;

/// <summary>
/// Plain float64 definitions of the elementwise, reduction and copy kernels, written from the math (System.Math and
/// an erf by numerical integration), not from the product code.
/// </summary>
public static class ElementwiseReference
{
    // 5-point Gauss–Legendre nodes and weights on [−1, 1]
    private static readonly double[] GlNode = [0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640];
    private static readonly double[] GlWeight = [0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891];

    /// <summary>erf(x) = 2/√π ∫₀ˣ e^(−t²) dt by composite 5-point Gauss–Legendre on panels ≤ 0.1 wide (error ≪ 1e-16).</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Min(Math.Abs(x), 7);
        int panels = Math.Max(1, (int)Math.Ceiling(ax / 0.1));
        double h = ax / panels, sum = 0;
        for (int p = 0; p < panels; p++)
        {
            double mid = (p + 0.5) * h, part = 0;
            for (int k = 0; k < 5; k++) { double t = mid + 0.5 * h * GlNode[k]; part += GlWeight[k] * Math.Exp(-t * t); }
            sum += part * 0.5 * h;
        }
        double r = Math.Min(1, 2 / Math.Sqrt(Math.PI) * sum);
        return x < 0 ? -r : r;
    }

    /// <summary>The unary function of that kind.</summary>
    public static double Unary(UnaryKind kind, double x, double a, double b) => kind switch
    {
        UnaryKind.Identity => x,
        UnaryKind.Neg => -x,
        UnaryKind.Exp => Math.Exp(x),
        UnaryKind.Log => Math.Log(x),
        UnaryKind.Sqrt => Math.Sqrt(x),
        UnaryKind.Rsqrt => 1 / Math.Sqrt(x),
        UnaryKind.Reciprocal => 1 / x,
        UnaryKind.Square => x * x,
        UnaryKind.Abs => Math.Abs(x),
        UnaryKind.Sign => Math.Sign(x),
        UnaryKind.Relu => x > 0 ? x : 0,
        UnaryKind.LeakyRelu => x < 0 ? a * x : x,
        UnaryKind.Clip => Math.Min(Math.Max(x, a), b),
        UnaryKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        UnaryKind.Tanh => Math.Tanh(x),
        UnaryKind.Silu => x / (1 + Math.Exp(-x)),
        UnaryKind.Erf => Erf(x),
        UnaryKind.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        UnaryKind.GeluTanh => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        UnaryKind.HardSigmoid => Math.Clamp(a * x + b, 0, 1),
        UnaryKind.HardSwish => x * Math.Clamp(x / 6 + 0.5, 0, 1),
        UnaryKind.PowScalar => Math.Pow(x, a),
        UnaryKind.Affine => a * x + b,
        UnaryKind.InRange => x > a && x < b ? 1 : 0,
        UnaryKind.GreaterScalar => x > a ? 1 : 0,
        UnaryKind.SiluDerivative => SiluDerivative((int)a, x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>silu⁽ᵏ⁾(x) = x·σ⁽ᵏ⁾(x) + k·σ⁽ᵏ⁻¹⁾(x), k ≥ 1, from <see cref="SigmoidDerivative"/>.</summary>
    public static double SiluDerivative(int k, double x) => x * SigmoidDerivative(k, x) + k * SigmoidDerivative(k - 1, x);

    /// <summary>
    /// σ⁽ⁿ⁾(x) by the Stirling-number expansion σ⁽ⁿ⁾ = Σⱼ (−1)ʲ j! S(n+1, j+1) σʲ⁺¹ (a derivation independent of the
    /// kernels' u/d recurrence), evaluated at −|x| where σ ≤ ½ keeps the alternating sum short, and reflected:
    /// σ − ½ is odd, so σ⁽ⁿ⁾(x) = (−1)ⁿ⁺¹ σ⁽ⁿ⁾(−x) for n ≥ 1.
    /// </summary>
    public static double SigmoidDerivative(int n, double x)
    {
        if (n == 0) return 1 / (1 + Math.Exp(-x));
        double s = 1 / (1 + Math.Exp(Math.Abs(x))), sum = 0, factorial = 1, power = s;
        for (int j = 0; j <= n; j++)
        {
            if (j > 0) factorial *= j;
            sum += (j % 2 == 0 ? 1 : -1) * factorial * Stirling2(n + 1, j + 1) * power;
            power *= s;
        }
        return x >= 0 && n % 2 == 0 ? -sum : sum;
    }

    /// <summary>Stirling numbers of the second kind, S(n, k) = k·S(n−1, k) + S(n−1, k−1).</summary>
    public static double Stirling2(int n, int k) =>
        n == k ? 1 : k == 0 || k > n ? 0 : k * Stirling2(n - 1, k) + Stirling2(n - 1, k - 1);

    /// <summary>The binary function of that kind.</summary>
    public static double Binary(BinaryKind kind, double a, double b) => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Pow => Math.Pow(a, b),
        BinaryKind.Max => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b),
        BinaryKind.Min => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b),
        BinaryKind.Greater => a > b ? 1 : 0,
        BinaryKind.Less => a < b ? 1 : 0,
        BinaryKind.Equal => a == b ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>All multi-indices of a shape in row-major order.</summary>
    public static IEnumerable<int[]> Indices(int[] shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        var idx = new int[shape.Length];
        for (long k = 0; k < n; k++)
        {
            yield return idx;
            for (int d = shape.Length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
        }
    }

    /// <summary>Σ idx·strides.</summary>
    public static long Dot(int[] idx, long[] strides)
    {
        long s = 0;
        for (int i = 0; i < idx.Length; i++) s += idx[i] * strides[i];
        return s;
    }

    /// <summary>Reduction of x[shape] over axes: values and (Max/Min) the flat index of the first extreme, where NaN
    /// counts as the extreme.</summary>
    public static (double[] Y, int[] Arg) Reduce(ReduceKind kind, int[] shape, int[] axes, double[] x)
    {
        var keptShape = Enumerable.Range(0, shape.Length).Where(d => !axes.Contains(d)).Select(d => shape[d]).ToArray();
        int outLen = keptShape.Aggregate(1, (p, d) => p * d);
        var y = new double[outLen];
        var arg = new int[outLen];
        var seen = new bool[outLen];
        var keptStrides = Strides(keptShape);
        var xs = Strides(shape);
        foreach (var idx in Indices(shape))
        {
            int o = 0, k = 0, flat = 0;
            for (int d = 0; d < shape.Length; d++)
            {
                flat += idx[d] * xs[d];
                if (!axes.Contains(d)) o += idx[d] * keptStrides[k++];
            }
            double v = x[flat];
            if (kind == ReduceKind.Sum) { y[o] += v; continue; }
            bool better = !seen[o] || (!double.IsNaN(y[o]) && (double.IsNaN(v) || (kind == ReduceKind.Max ? v > y[o] : v < y[o])));
            if (better) { y[o] = v; arg[o] = flat; seen[o] = true; }
        }
        return (y, arg);
    }

    /// <summary>Values that float32 represents exactly, so both dtypes see the same input.</summary>
    public static double[] RandomF(int n, int seed, double lo, double hi)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double)(float)(lo + (hi - lo) * r.NextDouble())).ToArray();
    }

    /// <summary>The expected result as the dtype stores it (float64 results rounded to float32).</summary>
    public static double[] AsStored(double[] v, DType t) => t == DType.Float32 ? v.Select(e => (double)(float)e).ToArray() : v;

    /// <summary>Asserts |a − e| ≤ atol + rtol·|e| elementwise (equal values, infinities and NaN pairs pass).</summary>
    public static void AssertClose(double[] expected, double[] actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (e.Equals(a) || e == a) continue;
            if (!(Math.Abs(a - e) <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}: element {i} is {a:R}, expected {e:R} (rtol {rtol}, atol {atol})");
        }
    }
}
