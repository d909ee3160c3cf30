using BenchmarkDotNet.Attributes;
using NativeCam.Cam.Metrics;

namespace NativeCam.Benchmarks;

/// <summary>
/// ROAD's noisy linear imputation of one 3×224×224 image: the removed pixels are the top <see cref="Percent"/>% of a
/// smooth synthetic map (two Gaussian blobs on a slope, so the removed regions are large and connected, as with a
/// CAM), solved by preconditioned conjugate gradients.
/// Run: <c>dotnet run -c Release --project benchmarks/NativeCam.Benchmarks -- --filter *RoadImputation*</c>.
/// </summary>
[MemoryDiagnoser]
public class RoadImputationBenchmarks
{
    private const int Size = 224;
    private float[] _image = [];
    private bool[] _removed = [];

    /// <summary>Share of the pixels removed.</summary>
    [Params(20, 80)]
    public int Percent { get; set; }

    /// <summary>Builds the image and the removal mask.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _image = Enumerable.Range(0, 3 * Size * Size).Select(_ => (float)(2 * rng.NextDouble() - 1)).ToArray();
        var map = new float[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                map[y * Size + x] = (float)(Blob(x, y, 70, 90, 35) + 0.7 * Blob(x, y, 160, 150, 25) + 0.1 * x / Size);
        int count = Percent * map.Length / 100;
        _removed = new bool[map.Length];
        foreach (int i in Enumerable.Range(0, map.Length).OrderByDescending(i => map[i]).Take(count)) _removed[i] = true;
    }

    private static double Blob(int x, int y, int cx, int cy, double s) => Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * s * s));

    /// <summary>One imputation (noise included).</summary>
    [Benchmark]
    public float[] Impute() => NoisyLinearImputer.Impute(_image, _removed, Size, Size, 0.01, seed: 3);
}
