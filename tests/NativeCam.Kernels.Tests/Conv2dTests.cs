using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Gpu;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>Conv2d forward and both backward ops on every backend against the float64 reference.</summary>
public class Conv2dTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static readonly DType[] Types = [DType.Float32, DType.Float64];

    /// <summary>Odd shapes covering every geometry option; widths are not multiples of 16.</summary>
    internal static readonly Conv2dParams[] Cases =
    [
        new(2, 5, 7, 9, 6, 1, 1),                                                          // pointwise → plain GEMM
        new(1, 4, 10, 19, 5, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        new(1, 3, 13, 17, 4, 5, 5, StrideH: 2, StrideW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2),
        new(2, 3, 15, 21, 8, 7, 7, StrideH: 2, StrideW: 2, PadTop: 3, PadLeft: 3, PadBottom: 3, PadRight: 3),
        new(1, 4, 11, 18, 3, 3, 3, DilationH: 2, DilationW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2),
        new(2, 3, 9, 20, 4, 3, 3, PadTop: 0, PadLeft: 1, PadBottom: 2, PadRight: 1),
        new(2, 6, 8, 17, 4, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2),
        new(2, 6, 9, 21, 6, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 6),     // depthwise
        new(1, 4, 10, 23, 8, 3, 3, StrideH: 2, StrideW: 2, PadTop: 0, PadLeft: 1, PadBottom: 2, PadRight: 1, Groups: 4), // multiplier 2
        new(2, 3, 12, 19, 3, 5, 5, DilationH: 2, DilationW: 2, PadTop: 4, PadLeft: 4, PadBottom: 4, PadRight: 4, Groups: 3),
        new(1, 5, 9, 13, 7, 1, 1, StrideH: 2, StrideW: 2),
        new(1, 30, 10, 10, 40, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),   // K over one block (270)
        new(1, 40, 37, 41, 13, 1, 1),                                                      // pointwise, short K: rows outermost over two column runs
        new(1, 300, 1, 1, 60, 1, 1),                                                       // pointwise on a 1×1 map: one column read in place, two K blocks
        new(2, 20, 1, 3, 70, 1, 1),                                                        // three columns in place, more rows than a few
        new(1, 37, 5, 7, 9, 1, 1),                                                         // 35 columns: a full panel and a 3-column tail in place
        new(1, 8, 6, 35, 5, 2, 3, StrideH: 1, StrideW: 3, PadTop: 1, PadLeft: 0, PadBottom: 0, PadRight: 2),
        new(1, 3, 9, 45, 4, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1), // stride-2 rows over two vectors
        new(2, 5, 7, 7, 5, 3, 5, PadTop: 0, PadLeft: 4, PadBottom: 2, PadRight: 1, Groups: 5),     // depthwise, uneven pads (backward as a turned forward)
        new(1, 3, 6, 11, 3, 3, 3, PadTop: 3, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3),    // depthwise, a pad wider than the filter (scattered backward)
    ];

    private static readonly FusedActivation[] Activations = [FusedActivation.None, FusedActivation.Relu, FusedActivation.Clip];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double[]> ReferenceCache = new();

    /// <summary>The reference result, computed once per case for all backends.</summary>
    private static double[] Reference(string key, Func<double[]> compute) => ReferenceCache.GetOrAdd(key, _ => compute());

    private static double[] Round(double[] v, DType t) => t == DType.Float32 ? v.Select(d => (double)(float)d).ToArray() : v;

    private static (double[] X, double[] W, double[] Bias, double[] Dy) Data(Conv2dParams p, DType t, int seed) =>
        (Round(Backends.Random(p.N * p.C * p.H * p.W, seed), t), Round(Backends.Random(p.K * p.CPerGroup * p.KH * p.KW, seed + 1), t),
         Round(Backends.Random(p.K, seed + 2), t), Round(Backends.Random(p.N * p.K * p.OH * p.OW, seed + 3), t));

    [Theory, MemberData(nameof(BackendNames))]
    public void Forward(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 0;
        foreach (var t in Types)
            for (int i = 0; i < Cases.Length; i++)
            {
                var p = Cases[i] with { Activation = Activations[i % 3], ActivationMin = -0.3, ActivationMax = 0.4 };
                bool withBias = i % 4 != 3;
                var (x, w, bias, _) = Data(p, t, seed += 10);
                var expected = Reference($"fwd {p} {t} {withBias} {seed}", () => ConvReference.Forward(p, x, w, withBias ? bias : null));
                var y = k.Allocate(t, expected.Length);
                k.Conv2d(p, Backends.Upload(k, x, t), Backends.Upload(k, w, t), withBias ? Backends.Upload(k, bias, t) : null, y);
                double tol = Backends.Tol(t, p.CPerGroup * p.KH * p.KW);
                Backends.AssertClose(expected, Backends.Download(k, y), tol, tol, $"{backend} {t} forward {p}");
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BackwardInput(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 500;
        foreach (var t in Types)
            foreach (var p in Cases)
            {
                var (_, w, _, dy) = Data(p, t, seed += 10);
                var expected = Reference($"bwi {p} {t} {seed}", () => ConvReference.BackwardInput(p, dy, w));
                // starts as NaN: written, not accumulated (uploaded, so the test needs no other kernel)
                var dx = Backends.Upload(k, Enumerable.Repeat(double.NaN, expected.Length).ToArray(), t);
                k.Conv2dBackwardInput(p, Backends.Upload(k, dy, t), Backends.Upload(k, w, t), dx);
                double tol = Backends.Tol(t, p.KPerGroup * p.KH * p.KW);
                Backends.AssertClose(expected, Backends.Download(k, dx), tol, tol, $"{backend} {t} backward-input {p}");
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BackwardWeight(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 900;
        foreach (var t in Types)
            foreach (var p in Cases)
            {
                var (x, _, _, dy) = Data(p, t, seed += 10);
                var expected = Reference($"bww {p} {t} {seed}", () => ConvReference.BackwardWeight(p, x, dy));
                var dw = Backends.Upload(k, Enumerable.Repeat(double.NaN, expected.Length).ToArray(), t);
                k.Conv2dBackwardWeight(p, Backends.Upload(k, x, t), Backends.Upload(k, dy, t), dw);
                double tol = Backends.Tol(t, p.N * p.OH * p.OW);
                Backends.AssertClose(expected, Backends.Download(k, dw), tol, tol, $"{backend} {t} backward-weight {p}");
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BackwardOpsAreAdjoints(string backend)
    {
        // ⟨dy, conv(x, w)⟩ = ⟨bwdInput(dy, w), x⟩ = ⟨bwdWeight(x, dy), w⟩, all computed by the backend
        using var k = Backends.Create(backend);
        int seed = 1300;
        foreach (var p in Cases)
        {
            var (x, w, _, dy) = Data(p, DType.Float64, seed += 10);
            IBuffer bx = Backends.Upload(k, x, DType.Float64), bw = Backends.Upload(k, w, DType.Float64), bdy = Backends.Upload(k, dy, DType.Float64);
            IBuffer y = k.Allocate(DType.Float64, dy.Length), dx = k.Allocate(DType.Float64, x.Length), dw = k.Allocate(DType.Float64, w.Length);
            k.Conv2d(p, bx, bw, null, y);
            k.Conv2dBackwardInput(p, bdy, bw, dx);
            k.Conv2dBackwardWeight(p, bx, bdy, dw);
            double forward = Dot(dy, Backends.Download(k, y)), viaInput = Dot(Backends.Download(k, dx), x), viaWeight = Dot(Backends.Download(k, dw), w);
            double scale = Math.Sqrt(dy.Length * (double)p.CPerGroup * p.KH * p.KW);
            Assert.True(Math.Abs(forward - viaInput) <= 1e-11 * scale, $"{p}: ⟨dy, y⟩ {forward} vs ⟨dx, x⟩ {viaInput}");
            Assert.True(Math.Abs(forward - viaWeight) <= 1e-11 * scale, $"{p}: ⟨dy, y⟩ {forward} vs ⟨dw, w⟩ {viaWeight}");
        }
    }

    /// <summary>Forward (bias, ReLU), backward-input and backward-weight of one case against the reference.</summary>
    private static void CheckAllOps(IKernels k, Conv2dParams p, DType t, int seed)
    {
        p = p with { Activation = FusedActivation.Relu };
        var (x, w, bias, dy) = Data(p, t, seed);
        IBuffer bx = Backends.Upload(k, x, t), bw = Backends.Upload(k, w, t), bdy = Backends.Upload(k, dy, t);
        IBuffer y = k.Allocate(t, dy.Length);
        IBuffer dx = Backends.Upload(k, Enumerable.Repeat(double.NaN, x.Length).ToArray(), t);
        IBuffer dw = Backends.Upload(k, Enumerable.Repeat(double.NaN, w.Length).ToArray(), t);
        k.Conv2d(p, bx, bw, Backends.Upload(k, bias, t), y);
        k.Conv2dBackwardInput(p, bdy, bw, dx);
        k.Conv2dBackwardWeight(p, bx, bdy, dw);
        double tf = Backends.Tol(t, p.CPerGroup * p.KH * p.KW), ti = Backends.Tol(t, p.KPerGroup * p.KH * p.KW), tw = Backends.Tol(t, p.N * p.OH * p.OW);
        Backends.AssertClose(ConvReference.Forward(p, x, w, bias), Backends.Download(k, y), tf, tf, $"{k.Name} {t} forward {p}");
        Backends.AssertClose(ConvReference.BackwardInput(p, dy, w), Backends.Download(k, dx), ti, ti, $"{k.Name} {t} backward-input {p}");
        Backends.AssertClose(ConvReference.BackwardWeight(p, x, dy), Backends.Download(k, dw), tw, tw, $"{k.Name} {t} backward-weight {p}");
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void BackwardWeightOverManyPositions(string backend)
    {
        // 64·33 = 2112 positions into one small tile of dw: the ILGPU backend splits such reductions into slices
        // summed afterwards
        using var k = Backends.Create(backend);
        var p = new Conv2dParams(1, 1, 64, 33, 2, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        int seed = 2100;
        foreach (var t in Types)
        {
            var (x, _, _, dy) = Data(p, t, seed += 10);
            var dw = Backends.Upload(k, Enumerable.Repeat(double.NaN, p.K * p.KH * p.KW).ToArray(), t);
            k.Conv2dBackwardWeight(p, Backends.Upload(k, x, t), Backends.Upload(k, dy, t), dw);
            double tol = Backends.Tol(t, p.N * p.OH * p.OW);
            Backends.AssertClose(ConvReference.BackwardWeight(p, x, dy), Backends.Download(k, dw), tol, tol, $"{backend} {t} backward-weight {p}");
        }
    }

    [Fact]
    public void GpuTileOnTheCpuAccelerator()
    {
        // ilgpu-cpu runs the tiled GEMM with its small tile; this runs the GPU's 64×64 tile (256 threads) on the
        // CPU accelerator: grouped, padded, every operand an edge tile
        using var k = IlgpuKernels.CreateCpu();
        k.GpuTiles = true;
        int seed = 2200;
        CheckAllOps(k, Cases[6], DType.Float32, seed);
        CheckAllOps(k, Cases[7] with { N = 1 }, DType.Float64, seed + 10); // depthwise: the direct kernels, reduction of 256 threads
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (u, v) => u * v).Sum();

    [Fact]
    public void EmulatedVector512PathMatches()
    {
        // the Vector512 kernels run (in software) even where the processor lacks AVX-512
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 1700;
        foreach (var t in Types)
            foreach (var p0 in new[] { Cases[1], Cases[6], Cases[7], Cases[8] })
            {
                var p = p0 with { Activation = FusedActivation.Relu };
                var (x, w, bias, dy) = Data(p, t, seed += 10);
                double tol = Backends.Tol(t, 64);
                if (t == DType.Float64)
                {
                    var y = new double[dy.Length]; var dx = new double[x.Length]; var dw = new double[w.Length];
                    k.Conv2dCore<double>(SimdLevel.Vector512, p, x, w, bias, true, y);
                    k.Conv2dBackwardInputCore<double>(SimdLevel.Vector512, p, dy, w, dx);
                    k.Conv2dBackwardWeightCore<double>(SimdLevel.Vector512, p, x, dy, dw);
                    Backends.AssertClose(ConvReference.Forward(p, x, w, bias), y, tol, tol, $"v512 forward {p}");
                    Backends.AssertClose(ConvReference.BackwardInput(p, dy, w), dx, tol, tol, $"v512 backward-input {p}");
                    Backends.AssertClose(ConvReference.BackwardWeight(p, x, dy), dw, tol, tol, $"v512 backward-weight {p}");
                }
                else
                {
                    float[] F(double[] v) => v.Select(d => (float)d).ToArray();
                    double[] D(float[] v) => v.Select(f => (double)f).ToArray();
                    var y = new float[dy.Length]; var dx = new float[x.Length]; var dw = new float[w.Length];
                    k.Conv2dCore<float>(SimdLevel.Vector512, p, F(x), F(w), F(bias), true, y);
                    k.Conv2dBackwardInputCore<float>(SimdLevel.Vector512, p, F(dy), F(w), dx);
                    k.Conv2dBackwardWeightCore<float>(SimdLevel.Vector512, p, F(x), F(dy), dw);
                    Backends.AssertClose(ConvReference.Forward(p, x, w, bias), D(y), tol, tol, $"v512 forward {p}");
                    Backends.AssertClose(ConvReference.BackwardInput(p, dy, w), D(dx), tol, tol, $"v512 backward-input {p}");
                    Backends.AssertClose(ConvReference.BackwardWeight(p, x, dy), D(dw), tol, tol, $"v512 backward-weight {p}");
                }
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void HugeDilationIsRejectedBeforeAnyAccess(string backend)
    {
        // int arithmetic would wrap (KH − 1)·dilation around into a plausible output size
        using var k = Backends.Create(backend);
        var p = new Conv2dParams(1, 1, 8, 8, 1, 1, 3, DilationW: int.MaxValue);
        var x = k.Allocate(DType.Float32, 64);
        var w = k.Allocate(DType.Float32, 3);
        var y = k.Allocate(DType.Float32, 64);
        var e = Assert.Throws<ArgumentException>(() => k.Conv2d(p, x, w, null, y));
        Assert.Contains("does not fit", e.Message);
        var pool = new Pool2dParams(1, 1, 8, 8, 1, 3, DilationW: int.MaxValue);
        Assert.Throws<ArgumentException>(() => k.MaxPool2d(pool, x, y, null));
    }
}
