using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Engine.Tests.Autodiff;

/// <summary>
/// A <see cref="TensorScope"/> disposes the tensors made inside it (all but the kept ones) and lends their memory to
/// the next scope: derivatives computed inside scopes must equal those computed without, bit for bit, run after run;
/// a second run must reuse the first run's memory; a disposed tensor must fail loudly, never alias another.
/// </summary>
public class TensorScopeTests
{
    private static readonly Conv2dOptions Same3 = new(PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);

    /// <summary>A small network on 16×16 maps (every activation above the pool's minimum length), with fan-out, a
    /// residual, views and a clipped depthwise layer.</summary>
    private static Tensor Net(Tensor x)
    {
        var (dtype, backend) = (x.DType, x.Backend);
        Tensor P(int[] shape, int seed) => Tensor.Uniform(shape, seed, -0.5, 0.5, dtype, backend);
        var a = x.Conv2d(P([8, 3, 3, 3], 1), P([8], 2), Same3).Silu();
        var b = a.Conv2d(P([8, 1, 3, 3], 3), null, Same3 with { Groups = 8 }).Clip(0, 6) + a;
        var c = (b * b.GlobalAvgPool().Sigmoid()).Reshape(2, 8 * 16 * 16).Reshape(2, 8, 16, 16);
        var o = Tensor.Gemm(c.GlobalAvgPool().Reshape(2, 8), P([5, 8], 4), P([5], 5), transB: true);
        return (o * P([2, 5], 6)).Sum() * 2.0 - o.LogSumExp(1).Sum();
    }

    private static (Tensor X, Tensor V) Point(DType dtype, IKernels backend) =>
        (Tensor.Uniform([2, 3, 16, 16], 7, -1, 1, dtype, backend), Tensor.Uniform([2, 3, 16, 16], 8, -1, 1, dtype, backend));

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void DerivativesInsideScopesChangeNoBit(DType dtype)
    {
        var backend = new CpuKernels(threads: 1);
        var (x, v) = Point(dtype, backend);
        var (g0, hv0) = Ad.GradAndHvp(Net, x, v);
        for (int run = 0; run < 3; run++)
        {
            using var scope = TensorScope.Begin();
            var (g, hv) = Ad.GradAndHvp(Net, x, v);
            Assert.Equal(g0.ToArray(), g.ToArray());
            Assert.Equal(hv0.ToArray(), hv.ToArray());
        }
        Assert.True(BlockPool.For(backend)!.FreeBytes > 0, "the scopes gave no memory back");
    }

    [Fact]
    public void ASecondRunReusesTheFirstRunsMemory()
    {
        var backend = new CpuKernels(threads: 1);
        var (x, v) = Point(DType.Float64, backend);
        long Allocated()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (TensorScope.Begin()) Ad.GradAndHvp(Net, x, v);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long first = Allocated(), second = Allocated();
        long activationBytes = 2L * 8 * 16 * 16 * sizeof(double);
        Assert.True(first > 10 * activationBytes, $"the first run allocated only {first} bytes");
        Assert.True(second < first / 4, $"the second run allocated {second} bytes, the first {first}");
    }

    [Fact]
    public void DisposesWhatItMadeAndKeepsWhatItKept()
    {
        var x = Tensor.Uniform([4, 1000], 9);
        Tensor made, kept;
        using (var scope = TensorScope.Begin())
        {
            made = x.Exp();
            kept = scope.Keep(x.Tanh());
        }
        Assert.Throws<ObjectDisposedException>(() => made.ToArray());
        Assert.Equal(x.ToArray().Select(Math.Tanh), kept.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(4000, x.ToArray().Length); // made before the scope: untouched
    }

    [Fact]
    public void AKeptTensorBelongsToTheEnclosingScope()
    {
        var x = Tensor.Uniform([2, 2000], 10);
        Tensor inner;
        using (TensorScope.Begin())
        {
            using (var scope = TensorScope.Begin()) inner = scope.Keep(x.Exp());
            Assert.Equal(4000, inner.ToArray().Length);
        }
        Assert.Throws<ObjectDisposedException>(() => inner.ToArray());
    }

    [Fact]
    public void KeepingATensorMadeOutsideLeavesItToItsOwner()
    {
        var x = Tensor.Uniform([2, 2000], 15);
        using (TensorScope.Begin())
        {
            using (var inner = TensorScope.Begin()) Assert.Same(x, inner.Keep(x));
        }
        Assert.Equal(4000, x.ToArray().Length); // neither scope made it, so neither disposed it
    }

    [Fact]
    public void KeepingADerivativeKeepsItsParts()
    {
        var x = Tensor.Uniform([3, 1500], 11, dtype: DType.Float64);
        var v = Tensor.Uniform([3, 1500], 12, dtype: DType.Float64);
        Tensor value, tangent;
        using (var scope = TensorScope.Begin())
            (value, tangent) = Ad.Jvp(t => scope.Keep((t * t).Exp()), x, v);
        var expected = x.ToArray().Zip(v.ToArray(), (a, d) => 2 * a * d * Math.Exp(a * a)).ToArray();
        Assert.Equal(expected, tangent.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(a)));
        Assert.Equal(x.ToArray().Select(a => Math.Exp(a * a)), value.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, a));
    }

    [Fact]
    public void ScopesEndInReverseOrder()
    {
        var outer = TensorScope.Begin();
        var inner = TensorScope.Begin();
        Assert.Throws<InvalidOperationException>(() => outer.Dispose());
        inner.Dispose();
        outer.Dispose();
        outer.Dispose(); // a second end does nothing
    }

    [Fact]
    public void AConstantsMemoryIsNeverLentAgain()
    {
        var backend = new CpuKernels(threads: 1);
        var x = Tensor.Uniform([5000], 13, backend: backend);
        var pool = BlockPool.For(backend)!;
        using (TensorScope.Begin()) x.Exp().MarkConstant();
        Assert.Equal(0, pool.FreeBytes); // kernels may key derived forms on a constant's array
        using (TensorScope.Begin()) x.Exp();
        Assert.Equal(5000 * sizeof(float), pool.FreeBytes);
    }

    [Fact]
    public void DisposingTwiceReleasesOnce()
    {
        var backend = new CpuKernels(threads: 1);
        var x = Tensor.Uniform([3000], 14, backend: backend);
        var pool = BlockPool.For(backend)!;
        Tensor y, view;
        using (TensorScope.Begin())
        {
            y = x.Exp();
            view = y.Reshape(3, 1000);
            y.Dispose();
            y.Dispose();
            Assert.Equal(0, pool.FreeBytes); // the view still holds the block
            Assert.Equal(3000, view.ToArray().Length);
        }
        Assert.Equal(3000 * sizeof(float), pool.FreeBytes);
    }
}
