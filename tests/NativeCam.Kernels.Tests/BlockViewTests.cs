using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// A memory plan hands a kernel buffers that are the first elements of longer blocks (one block serves tensors of
/// several sizes). Every CPU kernel must then give bit for bit what it gives on buffers of exactly their length, and
/// leave the rest of each block alone: each kernel runs twice, on exact buffers and on views whose blocks continue
/// with a sentinel, and the results and the blocks' tails are compared.
/// </summary>
public class BlockViewTests
{
    public static TheoryData<string> CpuBackends
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var name in Backends.Names)
                if (name.StartsWith("cpu", StringComparison.Ordinal)) d.Add(name);
            return d;
        }
    }

    private const int Extra = 37;
    private const double Sentinel = 12345;

    /// <summary>Makes buffers holding given values: exact ones, or views over longer blocks (tail = sentinel).</summary>
    private sealed class Maker(CpuKernels k, bool views)
    {
        private readonly List<(Array Block, int Length)> _blocks = [];

        public IBuffer Make(DType t, double[] values)
        {
            IBuffer b;
            if (!views) b = k.Allocate(t, values.Length);
            else
            {
                var block = (Array)k.AllocateBlock(t, values.Length + Extra);
                for (int i = values.Length; i < block.Length; i++) block.SetValue(Convert.ChangeType(Sentinel, block.GetType().GetElementType()!), i);
                _blocks.Add((block, values.Length));
                b = k.Wrap(block, values.Length, null, 0);
            }
            switch (t)
            {
                case DType.Float32: k.Upload<float>(values.Select(v => (float)v).ToArray(), b); break;
                case DType.Float64: k.Upload<double>(values, b); break;
                default: k.Upload<int>(values.Select(v => (int)v).ToArray(), b); break;
            }
            return b;
        }

        public IBuffer Empty(DType t, int n) => Make(t, Enumerable.Repeat(t == DType.Int32 ? -7.0 : double.NaN, n).ToArray());

        /// <summary>Every block's elements past its buffer still hold the sentinel.</summary>
        public void AssertTailsKept(string what)
        {
            foreach (var (block, length) in _blocks)
                for (int i = length; i < block.Length; i++)
                    Assert.True(Convert.ToDouble(block.GetValue(i)) == Sentinel, $"{what}: element {i} past a buffer of {length} was written");
        }
    }

    private static double[] Read(CpuKernels k, IBuffer b) => b.DType switch
    {
        DType.Float32 => Download<float>(k, b).Select(v => (double)v).ToArray(),
        DType.Float64 => Download<double>(k, b),
        _ => Download<int>(k, b).Select(v => (double)v).ToArray(),
    };

    private static T[] Download<T>(CpuKernels k, IBuffer b) where T : unmanaged
    {
        var r = new T[b.Length];
        k.Download<T>(b, r);
        return r;
    }

    /// <summary>Runs <paramref name="op"/> on exact buffers and on views; the buffers it returns must agree bitwise.</summary>
    private static void Same(CpuKernels k, string what, Func<Maker, IBuffer[]> op)
    {
        var exact = op(new Maker(k, false)).Select(b => Read(k, b)).ToArray();
        var maker = new Maker(k, true);
        var viewed = op(maker).Select(b => Read(k, b)).ToArray();
        Assert.Equal(exact.Length, viewed.Length);
        for (int i = 0; i < exact.Length; i++)
            Assert.True(exact[i].AsSpan().SequenceEqual(viewed[i]), $"{what}: output {i} differs on block views");
        maker.AssertTailsKept(what);
    }

    private static double[] R(int n, int seed) => Backends.Random(n, seed, -2, 2);

    [Theory, MemberData(nameof(CpuBackends))]
    public void ElementwiseCopiesAndReductions(string backend)
    {
        var k = (CpuKernels)Backends.Create(backend);
        foreach (var t in new[] { DType.Float32, DType.Float64 })
        {
            const int n = 1003;
            foreach (var (kind, alpha) in new[] { (UnaryKind.Exp, 0.0), (UnaryKind.Silu, 0), (UnaryKind.PowScalar, 0), (UnaryKind.PowScalar, 3), (UnaryKind.Relu, 0) })
                Same(k, $"{t} unary {kind} {alpha}", m => { var y = m.Empty(t, n); k.Unary(kind, m.Make(t, R(n, 1)), y, alpha); return [y]; });
            Same(k, $"{t} binary", m =>
            {
                var y = m.Empty(t, 37 * 29);
                k.Binary(BinaryKind.Mul, new BroadcastParams([37, 29], [29, 1], [0, 1]), m.Make(t, R(37 * 29, 2)), m.Make(t, R(29, 3)), y);
                return [y];
            });
            Same(k, $"{t} where", m =>
            {
                var y = m.Empty(t, 41);
                k.Where(new BroadcastParams([41], [1], [1], [1]), m.Make(t, R(41, 4).Select(v => v > 0 ? 1.0 : 0).ToArray()), m.Make(t, R(41, 5)), m.Make(t, R(41, 6)), y);
                return [y];
            });
            foreach (var axes in new[] { new[] { 1 }, new[] { 0, 2 } })
                Same(k, $"{t} reduce {string.Join(",", axes)}", m =>
                {
                    int outLen = axes.Length == 1 ? 5 * 11 : 7;
                    var y = m.Empty(t, outLen);
                    var arg = axes.Length == 1 ? m.Empty(DType.Int32, outLen) : null;
                    k.Reduce(axes.Length == 1 ? ReduceKind.Max : ReduceKind.Sum, [5, 7, 11], axes, m.Make(t, R(385, 7)), y, arg);
                    return arg is null ? [y] : [y, arg];
                });
            Same(k, $"{t} strided copy", m =>
            {
                var y = m.Empty(t, 20);
                k.StridedCopy(new StridedCopyParams([4, 5], 8, [9, -2], 0, [5, 1]), m.Make(t, R(36, 8)), y);
                return [y];
            });
            Same(k, $"{t} gather/scatter flat", m =>
            {
                var idx = m.Make(DType.Int32, [3, 0, 5, 5, 1]);
                var y = m.Empty(t, 5);
                k.GatherFlat(m.Make(t, R(6, 9)), idx, y);
                var z = m.Make(t, R(6, 10));
                k.ScatterAddFlat(y, idx, z);
                return [y, z];
            });
            Same(k, $"{t} gather/scatter axis", m =>
            {
                var p = new GatherParams(3, 4, 5, 2);
                var idx = m.Make(DType.Int32, [2, 0]);
                var y = m.Empty(t, 30);
                k.GatherAxis(p, m.Make(t, R(60, 11)), idx, y);
                var z = m.Make(t, R(60, 12));
                k.ScatterAddAxis(p, y, idx, z);
                return [y, z];
            });
            Same(k, $"{t} cast and fill", m =>
            {
                var other = t == DType.Float32 ? DType.Float64 : DType.Float32;
                var y = m.Empty(other, 19);
                k.Cast(m.Make(t, R(19, 13)), y);
                var f = m.Empty(t, 23);
                k.Fill(f, 0.25);
                return [y, f];
            });
            Same(k, $"{t} softmax family", m =>
            {
                var p = new AxisParams(3, 17, 5);
                var x = m.Make(t, R(255, 14));
                IBuffer a = m.Empty(t, 255), b = m.Empty(t, 255), c = m.Empty(t, 15);
                k.Softmax(p, x, a);
                k.LogSoftmax(p, x, b);
                k.LogSumExp(p, x, c);
                return [a, b, c];
            });
        }
    }

    [Theory, MemberData(nameof(CpuBackends))]
    public void ConvolutionsGemmPoolingResize(string backend)
    {
        var k = (CpuKernels)Backends.Create(backend);
        foreach (var t in new[] { DType.Float32, DType.Float64 })
        {
            foreach (var p in new Conv2dParams[]
            {
                new(1, 13, 9, 21, 7, 1, 1),                                                        // pointwise: B read in place
                new(2, 3, 11, 13, 5, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
                new(1, 6, 12, 10, 6, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 6),
            })
                Same(k, $"{t} conv {p}", m =>
                {
                    var x = m.Make(t, R(p.N * p.C * p.H * p.W, 20));
                    var w = m.Make(t, R(p.K * p.CPerGroup * p.KH * p.KW, 21));
                    var y = m.Empty(t, p.N * p.K * p.OH * p.OW);
                    k.Conv2d(p, x, w, m.Make(t, R(p.K, 22)), y, m.Make(t, R(p.N * p.K * p.OH * p.OW, 23)));
                    var dx = m.Empty(t, p.N * p.C * p.H * p.W);
                    k.Conv2dBackwardInput(p, y, w, dx);
                    var dw = m.Empty(t, p.K * p.CPerGroup * p.KH * p.KW);
                    k.Conv2dBackwardWeight(p, x, y, dw);
                    return [y, dx, dw];
                });
            Same(k, $"{t} gemm", m =>
            {
                var c = m.Make(t, R(70 * 45, 30));
                k.Gemm(new GemmParams(70, 45, 33, Beta: 0.5), m.Make(t, R(70 * 33, 31)), m.Make(t, R(33 * 45, 32)), c);
                var d = m.Empty(t, 3 * 45);
                k.Gemm(new GemmParams(3, 45, 33), m.Make(t, R(3 * 33, 33)), m.Make(t, R(33 * 45, 34)), d);
                return [c, d];
            });
            Same(k, $"{t} pooling", m =>
            {
                var p = new Pool2dParams(1, 3, 9, 11, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
                int outLen = 3 * p.OH * p.OW;
                var x = m.Make(t, R(3 * 9 * 11, 40));
                IBuffer y = m.Empty(t, outLen), arg = m.Empty(DType.Int32, outLen), a = m.Empty(t, outLen), dx = m.Empty(t, 3 * 9 * 11);
                k.MaxPool2d(p, x, y, arg);
                k.AvgPool2d(p, x, a);
                k.AvgPool2dBackward(p, a, dx);
                return [y, arg, a, dx];
            });
            Same(k, $"{t} resize", m =>
            {
                var p = new ResizeParams(2, 5, 7, 9, 4);
                var y = m.Empty(t, 2 * 9 * 4);
                k.ResizeBilinear(p, m.Make(t, R(70, 50)), y);
                var dx = m.Empty(t, 70);
                k.ResizeBilinearBackward(p, y, dx);
                return [y, dx];
            });
        }
    }
}
