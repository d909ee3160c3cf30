using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Ops;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Ops;

/// <summary>Values and gradient checks of max / average pooling, the average-pool adjoint op and GlobalAvgPool.</summary>
public class PoolGradTests
{
    private static readonly (string Name, int[] X, int KH, int KW, Pool2dOptions O)[] Geometries =
    [
        ("2x2 stride 2", [2, 3, 6, 6], 2, 2, new(StrideH: 2, StrideW: 2)),
        ("3x3 stride 2 pads 1 ceil", [1, 2, 7, 6], 3, 3, new(StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, CeilMode: true)),
        ("3x3 stride 1 asymmetric pads", [2, 2, 5, 5], 3, 3, new(PadTop: 0, PadLeft: 2, PadBottom: 1, PadRight: 0)),
        ("2x3 stride (1, 2) dilation 2", [1, 3, 7, 8], 2, 3, new(StrideW: 2, DilationH: 2, DilationW: 2)),
        ("3x2 stride 3 ceil, partial last window", [1, 1, 8, 7], 3, 2, new(StrideH: 3, StrideW: 3, CeilMode: true)),
    ];

    public static TheoryData<int> Cases => new(Enumerable.Range(0, Geometries.Length));

    /// <summary>Distinct values 0.05 apart in shuffled order: no window has a tie within finite-difference reach.</summary>
    private static Tensor Distinct(int[] shape, int seed)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var v = Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.05).ToArray();
        new Random(seed).Shuffle(v);
        return Tensor.FromArray(v, shape);
    }

    private static Pool2dParams Params(int c, bool countIncludePad = false)
    {
        var g = Geometries[c];
        var o = g.O;
        return new Pool2dParams(g.X[0], g.X[1], g.X[2], g.X[3], g.KH, g.KW, o.StrideH, o.StrideW, o.DilationH, o.DilationW,
            o.PadTop, o.PadLeft, o.PadBottom, o.PadRight, o.CeilMode, countIncludePad);
    }

    [Theory, MemberData(nameof(Cases))]
    public void MaxValuesMatchLoops(int c)
    {
        var g = Geometries[c];
        var x = Distinct(g.X, c);
        var p = Params(c);
        var y = x.MaxPool2d(g.KH, g.KW, g.O);
        Assert.Equal(new[] { p.N, p.C, p.OH, p.OW }, y.Shape);
        Close(Reference(x.ToArray(), p, max: true), y.ToArray(), 0, 0);
    }

    // tolerances: float64 central differences, rtol 1e-6 / atol 1e-8 (defaults); inputs are tie-free (see Distinct)
    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(MaxPool2dOp))]
    public void MaxGradients(int c)
    {
        var g = Geometries[c];
        var x0 = Distinct(g.X, c);
        Passes(x => x.MaxPool2d(g.KH, g.KW, g.O), x0);
        Passes(x => { var y = x.MaxPool2d(g.KH, g.KW, g.O); return y * y; }, x0);
        Passes(x => (x.MaxPool2d(g.KH, g.KW, g.O) * 0.7).Exp(), x0);
    }

    [Fact]
    public void MaxGradientRoutesToTheArgmax()
    {
        var x = Tensor.FromArray(new double[] { 1, 5, 2, 0, 3, 4, 9, 8, 7 }, [1, 1, 3, 3]);
        var y = x.MaxPool2d(2, 2);
        Assert.Equal(new double[] { 5, 5, 9, 8 }, y.ToArray());
        var g = Ad.Grad(t => t.MaxPool2d(2, 2).Sum(), x);
        Assert.Equal(new double[] { 0, 2, 0, 0, 0, 0, 1, 1, 0 }, g.ToArray());
    }

    [Theory, MemberData(nameof(Cases))]
    public void AverageValuesMatchLoops(int c)
    {
        var g = Geometries[c];
        var x = Rand(g.X, c);
        foreach (bool include in new[] { false, true })
        {
            var y = x.AvgPool2d(g.KH, g.KW, g.O with { CountIncludePad = include });
            Close(Reference(x.ToArray(), Params(c, include), max: false), y.ToArray(), 1e-12, 1e-12, $"countIncludePad {include}");
        }
    }

    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(AvgPool2dOp))]
    public void AverageGradients(int c)
    {
        var g = Geometries[c];
        var x0 = Rand(g.X, c);
        foreach (bool include in new[] { false, true })
        {
            var o = g.O with { CountIncludePad = include };
            Passes(x => x.AvgPool2d(g.KH, g.KW, o), x0);
            Passes(x => { var y = x.AvgPool2d(g.KH, g.KW, o); return y * y; }, x0);
        }
    }

    [Theory, MemberData(nameof(Cases)), ChecksOp(typeof(AvgPool2dBackwardOp))]
    public void AverageBackwardOp(int c)
    {
        foreach (bool include in new[] { false, true })
        {
            var p = Params(c, include);
            var dy0 = Rand([p.N, p.C, p.OH, p.OW], 7);
            var x = Rand([p.N, p.C, p.H, p.W], 8);
            // adjoint identity against the loop pooling: ⟨Aᵀdy, x⟩ = ⟨dy, A x⟩
            var back = new AvgPool2dBackwardOp(p).Apply(dy0).ToArray();
            Assert.Equal(Dot(dy0.ToArray(), Reference(x.ToArray(), p, max: false)), Dot(back, x.ToArray()), 12);
            Passes(dy => new AvgPool2dBackwardOp(p).Apply(dy), dy0);
            Passes(dy => { var r = new AvgPool2dBackwardOp(p).Apply(dy); return r * r; }, dy0);
        }
    }

    [Fact]
    public void GlobalAveragePool()
    {
        var x = Rand([2, 3, 4, 5], 1);
        var y = x.GlobalAvgPool();
        Assert.Equal(new[] { 2, 3, 1, 1 }, y.Shape);
        var xs = x.ToArray();
        var expected = Enumerable.Range(0, 6).Select(pl => xs.Skip(pl * 20).Take(20).Average()).ToArray();
        Close(expected, y.ToArray(), 1e-12, 1e-12);
        Passes(t => t.GlobalAvgPool() * t.GlobalAvgPool(), x);
        Assert.Equal(new[] { 2, 3, 1 }, Rand([2, 3, 7], 2).GlobalAvgPool().Shape);
    }

    [Fact]
    public void InvalidGeometriesThrow()
    {
        Assert.Throws<ArgumentException>(() => Rand([1, 1, 2, 2], 1).MaxPool2d(3, 3));
        Assert.Throws<ArgumentException>(() => Rand([2, 2, 2], 1).AvgPool2d(1, 1));
        // a window made only of padding has no maximum
        Assert.Throws<ArgumentException>(() => Rand([1, 1, 3, 3], 1).MaxPool2d(1, 1, new(PadTop: 1)));
    }

    // float32 against float64 on the same inputs: values and gradients within 1e-6 of the largest entry
    [Theory, MemberData(nameof(Cases))]
    public void Float32AgreesWithFloat64(int c)
    {
        var g = Geometries[c];
        var x = Distinct(g.X, c);
        var x32 = Tensor.FromDoubles(x.ToArray(), x.Shape, DType.Float32);
        foreach (var f in new Func<Tensor, Tensor>[] { t => t.MaxPool2d(g.KH, g.KW, g.O), t => t.AvgPool2d(g.KH, g.KW, g.O) })
        {
            var y64 = f(x).ToArray();
            Close(y64, f(x32).ToArray(), 0, 1e-6 * y64.Max(Math.Abs), "float32 value");
            Tensor Loss(Tensor t) { var y = f(t); return (y * y).Sum(); }
            var g64 = Ad.Grad(Loss, x).ToArray();
            Close(g64, Ad.Grad(Loss, x32).ToArray(), 0, 1e-6 * g64.Max(Math.Abs), "float32 gradient");
        }
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    /// <summary>Pooling by loops: max (padding never wins) or average (divisor per CountIncludePad).</summary>
    private static double[] Reference(double[] x, Pool2dParams p, bool max)
    {
        var y = new double[p.N * p.C * p.OH * p.OW];
        for (int pl = 0; pl < p.N * p.C; pl++)
            for (int oh = 0; oh < p.OH; oh++)
                for (int ow = 0; ow < p.OW; ow++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    int count = 0, padded = 0;
                    for (int i = 0; i < p.KH; i++)
                        for (int j = 0; j < p.KW; j++)
                        {
                            int ih = oh * p.StrideH - p.PadTop + i * p.DilationH, iw = ow * p.StrideW - p.PadLeft + j * p.DilationW;
                            // taps past the bottom/right padding (ceil mode) count for neither divisor
                            if (ih < p.H + p.PadBottom && iw < p.W + p.PadRight) padded++;
                            if (ih < 0 || ih >= p.H || iw < 0 || iw >= p.W) continue;
                            double v = x[(pl * p.H + ih) * p.W + iw];
                            acc = max ? Math.Max(acc, v) : acc + v;
                            count++;
                        }
                    y[(pl * p.OH + oh) * p.OW + ow] = max ? acc : acc / (p.CountIncludePad ? padded : count);
                }
        return y;
    }
}
