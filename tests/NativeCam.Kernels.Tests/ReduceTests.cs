using NativeCam.Kernels;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>Sum/Max/Min over axis subsets, with argIndex, every backend, float32 and float64.</summary>
public class ReduceTests
{
    public static TheoryData<string, DType, ReduceKind> Cases()
    {
        var d = new TheoryData<string, DType, ReduceKind>();
        foreach (var name in Backends.Names)
            foreach (var t in new[] { DType.Float32, DType.Float64 })
                foreach (var k in Enum.GetValues<ReduceKind>()) d.Add(name, t, k);
        return d;
    }

    private static void Check(IKernels k, DType t, ReduceKind kind, int[] shape, int[] axes, double[] x, string what)
    {
        var (ey, earg) = R.Reduce(kind, shape, axes, x);
        var xb = Backends.Upload(k, x, t);
        var y = k.Allocate(t, ey.Length);
        IBuffer? arg = kind == ReduceKind.Sum ? null : k.Allocate(DType.Int32, ey.Length);
        k.Reduce(kind, shape, axes, xb, y, arg);
        int terms = axes.Aggregate(1, (p, a) => p * shape[a]);
        double tol = kind == ReduceKind.Sum ? Backends.Tol(t, terms) : 0;
        string tag = $"{k.Name} {t} {kind} {Fmt(shape)} axes {Fmt(axes)} {what}";
        R.AssertClose(R.AsStored(ey, t), Backends.Download(k, y), tol, kind == ReduceKind.Sum ? tol : 0, tag);
        if (arg is null) return;
        var got = new int[ey.Length];
        k.Download<int>(arg, got);
        Assert.True(earg.SequenceEqual(got), $"{tag}: argIndex [{string.Join(",", got.Take(20))}] expected [{string.Join(",", earg.Take(20))}]");
    }

    [Theory, MemberData(nameof(Cases))]
    public void EveryAxisSubsetOfRank4(string backend, DType t, ReduceKind kind)
    {
        using var k = Backends.Create(backend);
        int[] shape = [2, 3, 5, 7];
        var smooth = R.RandomF(210, 11, -2, 2);
        var ties = R.RandomF(210, 12, -2, 2).Select(v => Math.Round(v)).ToArray(); // many equal extremes: the first must win
        for (int mask = 0; mask < 16; mask++)
        {
            var axes = Enumerable.Range(0, 4).Where(a => (mask >> a & 1) != 0).ToArray();
            Check(k, t, kind, shape, axes, smooth, "smooth");
            Check(k, t, kind, shape, axes, ties, "ties");
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void LongRowsAndColumns(string backend, DType t, ReduceKind kind)
    {
        using var k = Backends.Create(backend);
        Check(k, t, kind, [3, 1000], [1], R.RandomF(3000, 13, -1, 1), "rows");
        Check(k, t, kind, [1000, 3], [0], R.RandomF(3000, 14, -1, 1), "columns");
        Check(k, t, kind, [100003], [0], R.RandomF(100003, 15, -1, 1), "full");
        Check(k, t, kind, [2, 100003], [1], R.RandomF(200006, 16, 0, 1), "long rows");
        Check(k, t, kind, [300, 17, 40], [1], R.RandomF(204000, 17, -1, 1), "middle");
        Check(k, t, kind, [5, 1, 33], [0, 1], R.RandomF(165, 18, -1, 1), "size-1 axis");
        Check(k, t, kind, [4, 6], [], R.RandomF(24, 19, -1, 1), "no axes");
        Check(k, t, kind, [], [], [0.5], "scalar");
        var ties = Enumerable.Repeat(1.0, 100003).ToArray();
        Check(k, t, kind, [100003], [0], ties, "all equal");
    }

    [Theory, MemberData(nameof(Cases))]
    public void NaNIsTheExtreme(string backend, DType t, ReduceKind kind)
    {
        using var k = Backends.Create(backend);
        var x = R.RandomF(3 * 1000, 20, -1, 1);
        x[1500] = double.NaN; x[1700] = double.NaN; x[2999] = double.NaN;
        Check(k, t, kind, [3, 1000], [1], x, "NaN rows");
        Check(k, t, kind, [30, 100], [0], x, "NaN columns");
        Check(k, t, kind, [3000], [0], x, "NaN full");
    }

    private static string Fmt(int[] s) => "[" + string.Join(",", s) + "]";
}
