using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>
/// Winograd F(2×2, 3×3) for 3×3 stride-1 convolutions with constant weights: against the float64 direct reference
/// on odd shapes (odd heights and widths, asymmetric and zero padding, tile rows split into blocks), with bias,
/// residual and every activation, on every SIMD path in float32 and float64; the weight transform against G·g·Gᵀ
/// written out; the vector tile transforms against the scalar ones bit for bit.
/// </summary>
public class WinogradTests
{
    internal static readonly Conv2dParams[] Cases =
    [
        new(2, 16, 9, 13, 19, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        new(1, 17, 7, 7, 16, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        new(1, 16, 14, 14, 20, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        new(2, 18, 11, 23, 16, 3, 3),                                                        // no padding
        new(1, 16, 10, 37, 17, 3, 3, PadTop: 1, PadLeft: 0, PadBottom: 0, PadRight: 2),     // asymmetric
        new(1, 64, 40, 100, 64, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),   // several blocks of tile rows
    ];

    private static readonly FusedActivation[] Activations =
        [FusedActivation.None, FusedActivation.Relu, FusedActivation.Clip, FusedActivation.LeakyRelu, FusedActivation.HardSwish, FusedActivation.Silu];

    private static double[] Round(double[] v, bool single) => single ? v.Select(d => (double)(float)d).ToArray() : v;

    private static float[] F(double[] v) => v.Select(d => (float)d).ToArray();

    [Fact]
    public void EveryCaseTakesTheWinogradPath()
    {
        foreach (var p in Cases) Assert.True(Winograd.Applies(new ConvGeometry(p)), p.ToString());
        Assert.False(Winograd.Applies(new ConvGeometry(Cases[0] with { StrideH = 2, StrideW = 2 })));
        Assert.False(Winograd.Applies(new ConvGeometry(Cases[0] with { C = 8, K = 19 })));
    }

    [Theory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)] // emulated in software where the processor lacks AVX-512
    public void MatchesTheDirectReference(SimdLevel simd)
    {
        if (simd == SimdLevel.Vector256 && !CpuKernels.IsSupported(simd)) return;
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 9100;
        for (int i = 0; i < Cases.Length; i++)
            foreach (bool single in new[] { true, false })
            {
                var p = Cases[i] with { Activation = Activations[(i + (single ? 0 : 3)) % Activations.Length], ActivationMin = -0.3, ActivationMax = 0.4, ActivationAlpha = 0.07 };
                bool withResidual = i % 2 == 0;
                var x = Round(Backends.Random(p.N * p.C * p.H * p.W, seed += 10, -2, 2), single);
                var w = Round(Backends.Random(p.K * p.C * 9, seed + 1), single);
                var bias = Round(Backends.Random(p.K, seed + 2), single);
                var residual = Round(Backends.Random(p.N * p.K * p.OH * p.OW, seed + 3, -2, 2), single);
                var expected = ConvReference.Forward(p, x, w, bias, withResidual ? residual : null);
                double[] actual;
                if (single)
                {
                    var y = new float[expected.Length];
                    var wf = F(w);
                    k.Conv2dCore<float>(simd, p, F(x), wf, F(bias), true, y, withResidual ? F(residual) : default, withResidual, wf);
                    actual = y.Select(v => (double)v).ToArray();
                }
                else
                {
                    actual = new double[expected.Length];
                    k.Conv2dCore<double>(simd, p, x, w, bias, true, actual, withResidual ? residual : default, withResidual, (double[])w.Clone());
                }
                // the transforms add up to 4 terms twice on each side: a few times the direct rounding error
                double tol = single ? 4 * Backends.Tol(DType.Float32, p.C * 9 + 2) : Backends.Tol(DType.Float64, p.C * 9 + 2);
                Backends.AssertClose(expected, actual, tol, tol, $"{simd} {(single ? "float32" : "float64")} {p}");
            }
    }

    [Theory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Vector256)]
    [InlineData(SimdLevel.Vector512)]
    public void BackwardInputMatchesTheReference(SimdLevel simd)
    {
        if (simd == SimdLevel.Vector256 && !CpuKernels.IsSupported(simd)) return;
        var k = new CpuKernels(SimdLevel.Scalar, 2);
        int seed = 9500;
        foreach (var p in Cases.Append(Cases[0] with { PadTop = 2, PadLeft = 0, PadBottom = 0, PadRight = 2 }))
            foreach (bool single in new[] { true, false })
            {
                Assert.NotNull(Winograd.BackwardInput(new ConvGeometry(p)));
                var dy = Round(Backends.Random(p.N * p.K * p.OH * p.OW, seed += 10, -2, 2), single);
                var w = Round(Backends.Random(p.K * p.C * 9, seed + 1), single);
                var expected = ConvReference.BackwardInput(p, dy, w);
                double[] actual;
                if (single)
                {
                    var dx = new float[expected.Length];
                    var wf = F(w);
                    k.Conv2dBackwardInputCore<float>(simd, p, F(dy), wf, dx, wf);
                    actual = dx.Select(v => (double)v).ToArray();
                }
                else
                {
                    actual = new double[expected.Length];
                    k.Conv2dBackwardInputCore<double>(simd, p, dy, w, actual, (double[])w.Clone());
                }
                double tol = single ? 4 * Backends.Tol(DType.Float32, p.K * 9) : Backends.Tol(DType.Float64, p.K * 9);
                Backends.AssertClose(expected, actual, tol, tol, $"backward-input {simd} {(single ? "float32" : "float64")} {p}");
            }
        Assert.Null(Winograd.BackwardInput(new ConvGeometry(Cases[0] with { PadTop = 3, PadBottom = 3 })));
    }

    [Fact]
    public void TheWeightTransformIsGgGt()
    {
        double[,] G = { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } };
        int kOut = 3, cIn = 5;
        var w = Backends.Random(kOut * cIn * 9, 77);
        var u = WinogradWeights.Transform<double>(w, kOut, cIn);
        for (int ko = 0; ko < kOut; ko++)
            for (int ci = 0; ci < cIn; ci++)
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                    {
                        double sum = 0;
                        for (int a = 0; a < 3; a++)
                            for (int b = 0; b < 3; b++)
                                sum += G[i, a] * w[(ko * cIn + ci) * 9 + a * 3 + b] * G[j, b];
                        Assert.Equal(sum, u[(4 * i + j) * kOut * cIn + ko * cIn + ci], 14);
                    }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(2, 8)]
    [InlineData(5, 13)]
    public unsafe void VectorTileTransformsEqualTheScalarOnesBitwise(int th, int tw)
    {
        if (!WinogradTiles.Vectorised<float>(SimdLevel.Vector256)) return;
        int wp = 16 * ((tw + 7) / 8) + 2, hp = 2 * th + 2, tiles = th * tw, tp = (tiles + 15) & ~7;
        var plane = F(Backends.Random(hp * wp, 5 + tw, -3, 3));
        var m = F(Backends.Random(16 * tp, 6 + tw, -3, 3));
        var residual = F(Backends.Random(2 * th * 2 * tw, 7 + tw));
        float[] vScalar = new float[16 * tp], vVector = new float[16 * tp];
        int oh = 2 * th - 1, ow = 2 * tw - 1; // odd output: the last row and column of tiles are cut
        float[] yScalar = new float[oh * ow], yVector = new float[oh * ow];
        fixed (float* pp = plane, pm = m, pr = residual, vs = vScalar, vv = vVector, ys = yScalar, yv = yVector)
        {
            WinogradTiles.Input(SimdLevel.Scalar, pp, wp, th, tw, vs, tp);
            WinogradTiles.Input(SimdLevel.Vector256, pp, wp, th, tw, vv, tp);
            WinogradTiles.Output(SimdLevel.Scalar, pm, tp, th, tw, ys, oh, ow, 0.25f, pr);
            WinogradTiles.Output(SimdLevel.Vector256, pm, tp, th, tw, yv, oh, ow, 0.25f, pr);
        }
        for (int e = 0; e < 16; e++)
            Assert.Equal(vScalar.AsSpan(e * tp, tiles).ToArray(), vVector.AsSpan(e * tp, tiles).ToArray());
        Assert.Equal(yScalar, yVector);
    }

    [Fact]
    public void AnImageGivesTheSameBitsAloneAndInABatch()
    {
        var k = new CpuKernels(CpuKernels.IsSupported(SimdLevel.Vector256) ? SimdLevel.Vector256 : SimdLevel.Scalar, 2);
        var p = Cases[0] with { N = 3, Activation = FusedActivation.Relu };
        var x = F(Backends.Random(p.N * p.C * p.H * p.W, 31, -2, 2));
        var w = F(Backends.Random(p.K * p.C * 9, 32));
        var batch = new float[p.N * p.K * p.OH * p.OW];
        k.Conv2dCore<float>(k.Simd, p, x, w, default, false, batch, default, false, w);
        int perX = p.C * p.H * p.W, perY = p.K * p.OH * p.OW;
        for (int n = 0; n < p.N; n++)
        {
            var alone = new float[perY];
            k.Conv2dCore<float>(k.Simd, p with { N = 1 }, x.AsSpan(n * perX, perX), w, default, false, alone, default, false, w);
            Assert.Equal(batch.AsSpan(n * perY, perY).ToArray(), alone);
        }
    }

    [Fact]
    public void MarkingTheWeightsConstantSwitchesConv2dToWinograd()
    {
        var k = new CpuKernels(CpuKernels.IsSupported(SimdLevel.Vector256) ? SimdLevel.Vector256 : SimdLevel.Scalar, 1);
        var p = Cases[2];
        var xd = Backends.Random(p.N * p.C * p.H * p.W, 41, -2, 2);
        var wd = Backends.Random(p.K * p.C * 9, 42);
        IBuffer x = Backends.Upload(k, xd, DType.Float32), w = Backends.Upload(k, wd, DType.Float32);
        IBuffer direct = k.Allocate(DType.Float32, p.K * p.OH * p.OW), winograd = k.Allocate(DType.Float32, p.K * p.OH * p.OW);
        k.Conv2d(p, x, w, null, direct);
        ((CpuBuffer<float>)w).MarkConstant();
        k.Conv2d(p, x, w, null, winograd);
        var expectedWinograd = new float[p.K * p.OH * p.OW];
        var wf = ((CpuBuffer<float>)w).Array;
        k.Conv2dCore<float>(k.Simd, p, ((CpuBuffer<float>)x).Array, wf, default, false, expectedWinograd, default, false, wf);
        Assert.Equal(expectedWinograd, ((CpuBuffer<float>)winograd).Array);
        Assert.NotEqual(((CpuBuffer<float>)direct).Array, ((CpuBuffer<float>)winograd).Array); // another summation
        double tol = 4 * Backends.Tol(DType.Float32, p.C * 9);
        Backends.AssertClose(ConvReference.Forward(p, xd.Select(v => (double)(float)v).ToArray(), wd.Select(v => (double)(float)v).ToArray(), null),
            Backends.Download(k, winograd), tol, tol, "constant weights");
    }
}
