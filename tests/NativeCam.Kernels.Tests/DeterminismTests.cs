using NativeCam.Kernels;
using R = NativeCam.Kernels.Tests.Reference.ElementwiseReference;

namespace NativeCam.Kernels.Tests;

/// <summary>Results that must not depend on scheduling: repeated reductions and softmax rows are bitwise equal, and a
/// strided copy whose destination stride is 0 keeps the last source element in row-major order.</summary>
public class DeterminismTests
{
    public static TheoryData<string, DType> Cases()
    {
        var d = new TheoryData<string, DType>();
        foreach (var name in Backends.Names) { d.Add(name, DType.Float32); d.Add(name, DType.Float64); }
        return d;
    }

    [Theory, MemberData(nameof(Cases))]
    public void RepeatedRunsAreBitwiseEqual(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        // long rows take the grouped (and, for few outputs, chunked) reduction paths
        foreach (var shape in new[] { new[] { 100003 }, [2, 100003], [3, 1000] })
        {
            var xs = R.RandomF(shape.Aggregate(1, (p, v) => p * v), 50, -1, 1);
            using var x = Backends.Upload(k, xs, t);
            int outLen = shape.Length == 1 ? 1 : shape[0];
            double[] Run()
            {
                using var y = k.Allocate(t, outLen);
                k.Reduce(ReduceKind.Sum, shape, [shape.Length - 1], x, y);
                return Backends.Download(k, y);
            }
            var first = Run();
            Assert.Equal(first, Run());
            var expected = R.Reduce(ReduceKind.Sum, shape, [shape.Length - 1], xs).Y;
            R.AssertClose(expected, first, Backends.Tol(t, shape[^1]), Backends.Tol(t, shape[^1]), $"{k.Name} {t} sum {string.Join(",", shape)}");
        }
        var p = new AxisParams(3, 1000, 1);
        using var logits = Backends.Upload(k, R.RandomF(3000, 51, -5, 5), t);
        double[] Soft()
        {
            using var y = k.Allocate(t, 3000);
            k.Softmax(p, logits, y);
            return Backends.Download(k, y);
        }
        Assert.Equal(Soft(), Soft());
    }

    [Theory, MemberData(nameof(Cases))]
    public void RepeatedConvolutionsAreBitwiseEqual(string backend, DType t)
    {
        // the work split over threads depends only on the shapes and the thread count
        using var k = Backends.Create(backend);
        foreach (var p in new[]
        {
            new Conv2dParams(1, 24, 20, 20, 40, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Activation: FusedActivation.Silu),
            new Conv2dParams(2, 32, 17, 17, 32, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 32, Activation: FusedActivation.Relu),
        })
        {
            using var x = Backends.Upload(k, R.RandomF(p.N * p.C * p.H * p.W, 60, -1, 1), t);
            using var w = Backends.Upload(k, R.RandomF(p.K * p.CPerGroup * p.KH * p.KW, 61, -1, 1), t);
            using var r = Backends.Upload(k, R.RandomF(p.N * p.K * p.OH * p.OW, 62, -1, 1), t);
            double[] Run()
            {
                using var y = k.Allocate(t, r.Length);
                k.Conv2d(p, x, w, null, y, r);
                return Backends.Download(k, y);
            }
            Assert.Equal(Run(), Run());
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void ZeroDestinationStrideKeepsTheLastElement(string backend, DType t)
    {
        using var k = Backends.Create(backend);
        // dst[j] = src[i, j] for i = 0, 1, 2 in turn: the row i = 2 remains
        using var src = Backends.Upload(k, Enumerable.Range(0, 12).Select(i => (double)i).ToArray(), t);
        using var dst = Backends.Upload(k, new double[4], t);
        k.StridedCopy(new StridedCopyParams([3, 4], 0, [4, 1], 0, [0, 1]), src, dst);
        Assert.Equal(new double[] { 8, 9, 10, 11 }, Backends.Download(k, dst));
    }
}
