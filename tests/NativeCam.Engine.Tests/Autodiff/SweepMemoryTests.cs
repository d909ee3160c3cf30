using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Autodiff;

/// <summary>
/// The backward sweep disposes cotangents it no longer needs and hands their memory to later allocations of the
/// same size. Results must be exactly those of a sweep that keeps every cotangent, including where cotangents alias
/// (an Add's two inputs get the same one, views share buffers, a value fans out to several consumers), and a
/// reverse-over-reverse derivative (an outer tape keeps the inner sweep's operands) must stay right.
/// </summary>
public class SweepMemoryTests
{
    private static readonly Conv2dOptions Same3 = new(PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);

    /// <summary>A small network with fan-out, residual adds, views, broadcasting and every derivative-heavy op kind.</summary>
    private static Tensor Net(Tensor x, DType dtype)
    {
        Tensor P(int[] shape, int seed) => Rand(shape, seed, -0.6, 0.6).ToDType(dtype);
        var a = x.Conv2d(P([6, 3, 3, 3], 1), P([6], 2), Same3).Silu();
        var b = a.Conv2d(P([6, 1, 3, 3], 3), null, Same3 with { Groups = 6 }).Relu() + a; // residual: a fans out
        var s = b.GlobalAvgPool().Sigmoid();                                              // squeeze-excitation
        var c = (b * s + b).Reshape(2, 6 * 7 * 7).Reshape(2, 6, 7, 7);                    // views
        var d = c.Conv2d(P([5, 6, 1, 1], 4), P([5], 5)).Silu().MaxPool2d(2, 2, new Pool2dOptions(StrideH: 2, StrideW: 2));
        var o = Tensor.Gemm(d.Reshape(2, 5 * 3 * 3), P([4, 45], 6), P([4], 7), transB: true);
        return (o * P([2, 4], 8)).Sum() * 2.0 - o.LogSumExp(1).Sum();
    }

    private static (double[] G, double[] Hv, (int Fresh, int Reused, int Disposed, bool Recycled) Sweep) Run(DType dtype, bool keep)
    {
        var x = Rand([2, 3, 7, 7], 20, -1, 1).ToDType(dtype);
        var v = Rand([2, 3, 7, 7], 21, -1, 1).ToDType(dtype);
        Dispatch.KeepCotangents = keep;
        try
        {
            var (g, hv) = Ad.GradAndHvp(t => Net(t, dtype), x, v);
            return (g.ToArray(), hv.ToArray(), Dispatch.LastSweep);
        }
        finally
        {
            Dispatch.KeepCotangents = false;
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void RecyclingChangesNoBit(DType dtype)
    {
        var kept = Run(dtype, keep: true);
        var recycled = Run(dtype, keep: false);
        Assert.Equal(kept.G, recycled.G);
        Assert.Equal(kept.Hv, recycled.Hv);
        Assert.False(kept.Sweep.Recycled);
        Assert.True(recycled.Sweep.Recycled);
        Assert.True(recycled.Sweep.Disposed > 0, "no cotangent was disposed");
        Assert.True(recycled.Sweep.Reused > 0, "no block was reused");
    }

    [Fact]
    public void GradientChecksPassWithRecycling()
    {
        // the float64 network's JVP, VJP and H·v against central differences
        Passes(t => Net(t, DType.Float64), Rand([2, 3, 7, 7], 22, -1, 1), rtol: 1e-5, atol: 1e-7);
    }

    [Fact]
    public void ReverseOverReverseMatchesForwardOverReverse()
    {
        // H·v as the gradient of ⟨∇f, v⟩: the inner sweep's cotangents carry the outer reverse level, so it must
        // keep them (its ops are on the outer tape)
        var x = Rand([2, 3, 7, 7], 23, -1, 1);
        var v = Rand([2, 3, 7, 7], 24, -1, 1);
        Tensor F(Tensor t) => Net(t, DType.Float64);
        var (_, hv) = Ad.GradAndHvp(F, x, v);
        (int, int, int, bool Recycled) inner = default;
        var hvReverse = Ad.Grad(t =>
        {
            var g = Ad.Grad(F, t);
            inner = Dispatch.LastSweep;
            return (g * v).Sum();
        }, x);
        Close(hv.ToArray(), hvReverse.ToArray(), 1e-10, 1e-12, "H·v, reverse over reverse");
        Assert.False(inner.Recycled, "the inner sweep disposed cotangents an outer tape holds");
    }
}
