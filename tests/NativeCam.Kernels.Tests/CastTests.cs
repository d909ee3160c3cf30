using NativeCam.Kernels;

namespace NativeCam.Kernels.Tests;

/// <summary>Casts between float32 and float64 on every backend against the scalar conversion, bit for bit, on
/// lengths around the vector widths and on special values.</summary>
public class CastTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static readonly double[] Specials =
    [
        0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e300, 1e-300, 1e-40, -1e-45,
        float.MaxValue, float.Epsilon, 1 + 1e-9, 16777217, 0.1, -3.4028235677973366e38,
    ];

    private static double[] Values(int n, int seed)
    {
        var v = Backends.Random(n, seed, -1e4, 1e4);
        for (int i = 0; i < n; i++)
            if (i % 3 == 0) v[i] = Specials[(i / 3) % Specials.Length];
        return v;
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void DoubleToFloatRoundsAsTheScalarConversion(string backend)
    {
        using var k = Backends.Create(backend);
        foreach (int n in new[] { 0, 1, 7, 8, 15, 16, 17, 33, 1003 })
        {
            var src = Values(n, n);
            var d = k.Allocate(DType.Float32, n);
            k.Cast(Backends.Upload(k, src, DType.Float64), d);
            var actual = new float[n];
            k.Download<float>(d, actual);
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.SingleToInt32Bits((float)src[i]) == BitConverter.SingleToInt32Bits(actual[i]) || float.IsNaN(actual[i]) && double.IsNaN(src[i]),
                    $"{backend} n={n} [{i}]: {src[i]:R} → {actual[i]:R}, expected {(float)src[i]:R}");
        }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void FloatToDoubleIsExact(string backend)
    {
        using var k = Backends.Create(backend);
        foreach (int n in new[] { 0, 1, 7, 8, 15, 16, 17, 33, 1003 })
        {
            var src = Values(n, n + 1).Select(v => (float)v).ToArray();
            var s = k.Allocate(DType.Float32, n);
            k.Upload<float>(src, s);
            var d = k.Allocate(DType.Float64, n);
            k.Cast(s, d);
            var actual = new double[n];
            k.Download<double>(d, actual);
            for (int i = 0; i < n; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(src[i]) == BitConverter.DoubleToInt64Bits(actual[i]) || double.IsNaN(actual[i]) && float.IsNaN(src[i]),
                    $"{backend} n={n} [{i}]: {src[i]:R} → {actual[i]:R}");
        }
    }
}
