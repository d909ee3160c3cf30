using NativeCam.Kernels;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>Strided copies (transpose, negative-step slice, pad, concat, expand) and gathers/scatters.</summary>
public class CopyTests
{
    public static TheoryData<string, DType> Cases()
    {
        var d = new TheoryData<string, DType>();
        foreach (var name in Backends.Names)
            foreach (var t in new[] { DType.Float32, DType.Float64, DType.Int32 }) d.Add(name, t);
        return d;
    }

    private static IBuffer Up(IKernels k, double[] v, DType t) =>
        t == DType.Int32 ? Backends.UploadIndex(k, v.Select(e => (int)e).ToArray()) : Backends.Upload(k, v, t);

    private static double[] Down(IKernels k, IBuffer b)
    {
        if (b.DType != DType.Int32) return Backends.Download(k, b);
        var i = new int[b.Length];
        k.Download<int>(b, i);
        return i.Select(v => (double)v).ToArray();
    }

    /// <summary>Runs the copy onto a destination pre-filled with −1 and compares with the reference odometer.</summary>
    private static void Check(IKernels k, DType t, StridedCopyParams p, int srcLen, int dstLen, string what)
    {
        var src = Enumerable.Range(0, srcLen).Select(i => (double)i).ToArray();
        var expected = Enumerable.Repeat(-1.0, dstLen).ToArray();
        foreach (var idx in R.Indices(p.Shape))
            expected[p.DstOffset + R.Dot(idx, p.DstStrides)] = src[p.SrcOffset + R.Dot(idx, p.SrcStrides)];
        var d = Up(k, Enumerable.Repeat(-1.0, dstLen).ToArray(), t);
        k.StridedCopy(p, Up(k, src, t), d);
        R.AssertClose(expected, Down(k, d), 0, 0, $"{k.Name} {t} {what}");
    }

    private static long[] L(params long[] v) => v;

    [Theory, MemberData(nameof(Cases))]
    public void StridedCopies(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        int[] shape = [2, 3, 5, 7];
        var st = Array.ConvertAll(R.Strides(shape), v => (long)v);
        foreach (var perm in new[] { new[] { 0, 1, 2, 3 }, [3, 2, 1, 0], [0, 2, 3, 1], [1, 0, 3, 2], [0, 1, 3, 2] })
        {
            // y = x.transpose(perm): iterate y's shape, read x with permuted strides
            int[] ys = perm.Select(a => shape[a]).ToArray();
            Check(k, t, new StridedCopyParams(ys, 0, perm.Select(a => st[a]).ToArray(), 0, Array.ConvertAll(R.Strides(ys), v => (long)v)), 210, 210, $"perm {string.Join("", perm)}");
        }
        // reversed last axis and a step −2 slice of a [4, 9] source
        Check(k, t, new StridedCopyParams([4, 9], 8, L(9, -1), 0, L(9, 1)), 36, 36, "reverse");
        Check(k, t, new StridedCopyParams([4, 5], 8, L(9, -2), 0, L(5, 1)), 36, 20, "step -2");
        Check(k, t, new StridedCopyParams([2, 4], 27, L(-18, 2), 0, L(4, 1)), 36, 8, "negative outer step");
        // pad [5, 7] into [7, 10] at (1, 2); concat two [2, 3, 4] into [2, 6, 4] (second at offset 12)
        Check(k, t, new StridedCopyParams([5, 7], 0, L(7, 1), 12, L(10, 1)), 35, 70, "pad");
        Check(k, t, new StridedCopyParams([2, 3, 4], 0, L(12, 4, 1), 12, L(24, 4, 1)), 24, 48, "concat second half");
        // expand [3, 1] to [3, 100003] (stride 0 inner), a long contiguous run, and a large transpose
        Check(k, t, new StridedCopyParams([3, 100003], 0, L(1, 0), 0, L(100003, 1)), 3, 300009, "expand");
        Check(k, t, new StridedCopyParams([100003], 5, L(1), 2, L(1)), 100010, 100010, "long run");
        Check(k, t, new StridedCopyParams([300, 401], 0, L(1, 300), 0, L(401, 1)), 120300, 120300, "big transpose");
        Check(k, t, new StridedCopyParams([0, 3], 0, L(3, 1), 0, L(3, 1)), 0, 0, "empty");
    }

    [Fact]
    public void StridedCopyOutOfBoundsThrows()
    {
        using var k = Backends.Create("cpu-scalar");
        var s = k.Allocate(DType.Float32, 10); var d = k.Allocate(DType.Float32, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => k.StridedCopy(new StridedCopyParams([11], 0, L(1), 0, L(1)), s, d));
        Assert.Throws<ArgumentOutOfRangeException>(() => k.StridedCopy(new StridedCopyParams([3], 1, L(-1), 0, L(1)), s, d));
    }

    public static TheoryData<string, DType> FloatCases()
    {
        var d = new TheoryData<string, DType>();
        foreach (var name in Backends.Names) { d.Add(name, DType.Float32); d.Add(name, DType.Float64); }
        return d;
    }

    [Theory, MemberData(nameof(FloatCases))]
    public void GatherAndScatter(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        var x = R.RandomF(1000, 30, -1, 1);
        var idx = new Random(31).GetItems(Enumerable.Range(0, 1000).ToArray(), 100003); // duplicates included
        var y = k.Allocate(t, idx.Length);
        k.GatherFlat(Backends.Upload(k, x, t), Backends.UploadIndex(k, idx), y);
        R.AssertClose(idx.Select(i => x[i]).ToArray(), Backends.Download(k, y), 0, 0, "gather flat");

        var src = R.RandomF(idx.Length, 32, -1, 1);
        var acc = Backends.Upload(k, Enumerable.Repeat(0.5, 1000).ToArray(), t);
        k.ScatterAddFlat(Backends.Upload(k, src, t), Backends.UploadIndex(k, idx), acc);
        var expect = Enumerable.Repeat(0.5, 1000).ToArray();
        for (int i = 0; i < idx.Length; i++) expect[idx[i]] += src[i];
        R.AssertClose(expect, Backends.Download(k, acc), Backends.Tol(t, 200), Backends.Tol(t, 200), "scatter flat");

        foreach (var (outer, axis, inner) in new[] { (3, 5, 7), (2, 4, 1000), (70, 3, 1) })
        {
            int[] m = [4 % axis, 0, axis - 1, 0, 1 % axis, 2 % axis];
            var p = new GatherParams(outer, axis, inner, m.Length);
            var big = R.RandomF(outer * axis * inner, 33, -1, 1);
            var g = k.Allocate(t, outer * m.Length * inner);
            k.GatherAxis(p, Backends.Upload(k, big, t), Backends.UploadIndex(k, m), g);
            var eg = new double[(int)g.Length];
            for (int o = 0; o < outer; o++) for (int j = 0; j < m.Length; j++) for (int i = 0; i < inner; i++)
                eg[(o * m.Length + j) * inner + i] = big[(o * axis + m[j]) * inner + i];
            R.AssertClose(R.AsStored(eg, t), Backends.Download(k, g), 0, 0, $"gather axis {p}");

            var small = R.RandomF((int)g.Length, 34, -1, 1);
            var bb = Backends.Upload(k, big, t);
            k.ScatterAddAxis(p, Backends.Upload(k, small, t), Backends.UploadIndex(k, m), bb);
            var eb = R.AsStored(big, t).ToArray();
            for (int o = 0; o < outer; o++) for (int j = 0; j < m.Length; j++) for (int i = 0; i < inner; i++)
                eb[(o * axis + m[j]) * inner + i] += small[(o * m.Length + j) * inner + i];
            R.AssertClose(eb, Backends.Download(k, bb), Backends.Tol(t, 4), Backends.Tol(t, 4), $"scatter axis {p}");
        }
    }

    [Fact]
    public void BadIndicesNameTheIndex()
    {
        using var k = Backends.Create("cpu-scalar");
        var x = k.Allocate(DType.Float32, 10); var y = k.Allocate(DType.Float32, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => k.GatherFlat(x, Backends.UploadIndex(k, [1, 10, 2]), y));
        Assert.Contains("index[1] = 10", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => k.ScatterAddFlat(y, Backends.UploadIndex(k, [1, -1, 2]), x));
        Assert.Contains("index[1] = -1", ex.Message);
        var p = new GatherParams(1, 10, 1, 3);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => k.GatherAxis(p, x, Backends.UploadIndex(k, [0, 1, 10]), y));
        Assert.Contains("index[2] = 10", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => k.ScatterAddAxis(p, y, Backends.UploadIndex(k, [-3, 1, 1]), x));
        Assert.Contains("index[0] = -3", ex.Message);
    }
}
