using NativeCam.Kernels;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>Binary kinds and Where with broadcasting, every backend, float32 and float64, against the reference.</summary>
public class BinaryTests
{
    /// <summary>(a shape, b shape) pairs; the output is their broadcast.</summary>
    private static readonly (int[] A, int[] B)[] Shapes =
    [
        ([2, 3, 5, 7], [1, 3, 1, 1]), ([2, 3, 5, 7], [7]), ([7], [2, 3, 5, 7]), ([], [1000]), ([100003], []),
        ([4, 1], [1, 5]), ([17], [17]), ([100003], [100003]), ([33, 65], [33, 1]), ([3, 1000], [1000]),
        ([2, 1, 3, 1, 4, 5], [1, 2, 3, 4, 1, 5]), ([1], [1]), ([8, 40, 40], [8, 1, 40]), ([0, 3], [3]),
    ];

    /// <summary>Right-aligned broadcast strides of <paramref name="shape"/> against <paramref name="outShape"/>.</summary>
    public static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        var own = R.Strides(shape);
        var s = new int[outShape.Length];
        for (int i = 0; i < outShape.Length; i++)
        {
            int j = i - (outShape.Length - shape.Length);
            s[i] = j < 0 || shape[j] == 1 ? 0 : own[j];
        }
        return s;
    }

    public static int[] Broadcast(int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i - (r - a.Length) >= 0 ? a[i - (r - a.Length)] : 1, db = i - (r - b.Length) >= 0 ? b[i - (r - b.Length)] : 1;
            o[i] = da == 1 ? db : da;
        }
        return o;
    }

    private static double[] Values(BinaryKind kind, int n, int seed, bool second)
    {
        // small integers give ties for the comparisons; Pow keeps the base positive
        if (kind is BinaryKind.Greater or BinaryKind.Less or BinaryKind.Equal or BinaryKind.Max or BinaryKind.Min)
            return R.RandomF(n, seed, -2, 2).Select((v, i) => i % 3 == 0 ? Math.Round(v) : v).ToArray();
        if (kind == BinaryKind.Pow) return second ? R.RandomF(n, seed, -2, 2) : R.RandomF(n, seed, 0.1, 3);
        if (kind == BinaryKind.Div && second) return R.RandomF(n, seed, 0.5, 2).Select((v, i) => i % 2 == 0 ? -v : v).ToArray();
        return R.RandomF(n, seed, -3, 3);
    }

    public static TheoryData<string, DType, BinaryKind> Cases()
    {
        var d = new TheoryData<string, DType, BinaryKind>();
        foreach (var name in Backends.Names)
            foreach (var t in new[] { DType.Float32, DType.Float64 })
                foreach (var k in Enum.GetValues<BinaryKind>()) d.Add(name, t, k);
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void MatchesReference(string backend, DType t, BinaryKind kind)
    {
        using var k = Backends.Create(backend);
        foreach (var (sa, sb) in Shapes)
        {
            var os = Broadcast(sa, sb);
            int na = sa.Aggregate(1, (p, v) => p * v), nb = sb.Aggregate(1, (p, v) => p * v);
            var a = Values(kind, na, 1, false); var b = Values(kind, nb, 2, true);
            var p = new BroadcastParams(os, BroadcastStrides(sa, os), BroadcastStrides(sb, os));
            Run(k, t, kind, p, a, b, $"{Fmt(sa)}∘{Fmt(sb)}");
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void TransposedOperand(string backend, DType t, BinaryKind kind)
    {
        // a is a [7, 37] buffer read transposed as [37, 7] (strides 1, 37): the strided inner-run path
        using var k = Backends.Create(backend);
        var a = Values(kind, 7 * 37, 3, false); var b = Values(kind, 37 * 7, 4, true);
        Run(k, t, kind, new BroadcastParams([37, 7], [1, 37], [7, 1]), a, b, "transposed");
    }

    [Theory, MemberData(nameof(Cases))]
    public void NaNPropagates(string backend, DType t, BinaryKind kind)
    {
        using var k = Backends.Create(backend);
        var a = R.RandomF(40, 5, 0.5, 2); var b = R.RandomF(40, 6, 0.5, 2);
        a[3] = double.NaN; b[20] = double.NaN; b[37] = double.NaN; a[37] = 1;
        Run(k, t, kind, new BroadcastParams([40], [1], [1]), a, b, "NaN");
    }

    private static void Run(IKernels k, DType t, BinaryKind kind, BroadcastParams p, double[] a, double[] b, string what)
    {
        var os = p.OutShape;
        long[] stA = Array.ConvertAll(p.StridesA, v => (long)v), stB = Array.ConvertAll(p.StridesB, v => (long)v);
        var expected = R.Indices(os).Select(i => R.Binary(kind, a[R.Dot(i, stA)], b[R.Dot(i, stB)])).ToArray();
        var y = k.Allocate(t, expected.Length);
        k.Binary(kind, p, Backends.Upload(k, a, t), Backends.Upload(k, b, t), y);
        double rtol = kind == BinaryKind.Pow ? (t == DType.Float32 ? 1e-6 : 1e-15) : 0;
        R.AssertClose(R.AsStored(expected, t), Backends.Download(k, y), rtol, 0, $"{k.Name} {t} {kind} {what}");
    }

    public static TheoryData<string, DType> BackendTypes()
    {
        var d = new TheoryData<string, DType>();
        foreach (var name in Backends.Names) { d.Add(name, DType.Float32); d.Add(name, DType.Float64); }
        return d;
    }

    [Theory, MemberData(nameof(BackendTypes))]
    public void WhereBroadcasts(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        (int[] C, int[] A, int[] B)[] cases =
        [
            ([2, 3, 5, 7], [1, 3, 1, 1], [7]), ([100003], [], [100003]), ([4, 1], [1, 5], []), ([17], [17], [17]),
            ([1, 2, 3, 1, 4, 5], [2, 1, 3, 4, 1, 5], [5]), ([3, 1000], [3, 1], [1000]),
        ];
        foreach (var (sc, sa, sb) in cases)
        {
            var os = Broadcast(Broadcast(sc, sa), sb);
            int n(int[] s) => s.Aggregate(1, (p, v) => p * v);
            var c = R.RandomF(n(sc), 7, -1, 1).Select((v, i) => i % 3 == 0 ? 0 : i % 7 == 0 ? double.NaN : v).ToArray();
            var a = R.RandomF(n(sa), 8, -3, 3); var b = R.RandomF(n(sb), 9, -3, 3);
            var p = new BroadcastParams(os, BroadcastStrides(sc, os), BroadcastStrides(sa, os), BroadcastStrides(sb, os));
            long[] stC = Array.ConvertAll(p.StridesA, v => (long)v), stA = Array.ConvertAll(p.StridesB, v => (long)v);
            long[] stB = Array.ConvertAll(p.StridesC!, v => (long)v);
            var expected = R.Indices(os).Select(i => c[R.Dot(i, stC)] != 0 ? a[R.Dot(i, stA)] : b[R.Dot(i, stB)]).ToArray();
            var y = k.Allocate(t, expected.Length);
            k.Where(p, Backends.Upload(k, c, t), Backends.Upload(k, a, t), Backends.Upload(k, b, t), y);
            R.AssertClose(R.AsStored(expected, t), Backends.Download(k, y), 0, 0, $"{k.Name} {t} where {Fmt(sc)} {Fmt(sa)} {Fmt(sb)}");
        }
    }

    [Fact]
    public void RejectsStridesOutsideTheBuffer()
    {
        using var k = Backends.Create("cpu-scalar");
        var a = k.Allocate(DType.Float32, 5); var y = k.Allocate(DType.Float32, 6);
        Assert.Throws<ArgumentException>(() => k.Binary(BinaryKind.Add, new BroadcastParams([6], [1], [1]), a, a, y));
    }

    private static string Fmt(int[] s) => "[" + string.Join(",", s) + "]";
}
