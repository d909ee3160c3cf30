using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Tests.Reference;

namespace NativeCam.Kernels.Tests;

/// <summary>The fused conv epilogue, y = act(conv(x, w) + bias + residual), with every activation, on every backend
/// and SIMD path against the float64 reference; and the depthwise shapes that pick each depthwise row kernel.</summary>
public class Conv2dEpilogueTests
{
    public static TheoryData<string> BackendNames => Backends.Names;

    private static readonly DType[] Types = [DType.Float32, DType.Float64];

    private static readonly FusedActivation[] Activations =
        [FusedActivation.None, FusedActivation.Relu, FusedActivation.Clip, FusedActivation.LeakyRelu, FusedActivation.HardSwish, FusedActivation.Silu];

    /// <summary>Depthwise shapes for each row kernel: 3×3 stride 1 (two rows per pass, odd row counts, rows shorter
    /// and longer than a vector), strided and dilated 3×3, and 5×5 with rows over four vectors.</summary>
    internal static readonly Conv2dParams[] DepthwiseCases =
    [
        new(2, 3, 7, 5, 3, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3),
        new(1, 4, 9, 37, 4, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 4),
        new(1, 2, 6, 16, 2, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2),
        new(1, 3, 8, 8, 3, 3, 3, Groups: 3),
        new(1, 3, 11, 37, 3, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 0, PadBottom: 1, PadRight: 1, Groups: 3),
        new(1, 2, 13, 14, 4, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2),
        new(1, 2, 9, 70, 2, 5, 5, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 2),
        new(1, 3, 14, 14, 3, 5, 5, StrideH: 2, StrideW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 3),
        new(1, 2, 10, 19, 2, 3, 3, DilationH: 2, DilationW: 1, PadTop: 2, PadLeft: 1, PadBottom: 2, PadRight: 1, Groups: 2),
        new(2, 2, 5, 3, 2, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2),     // rows of 3: 128-bit copies of doubles
        new(1, 2, 9, 13, 2, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2), // odd row, split in pairs
        new(1, 3, 70, 5, 3, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3),  // tall and narrow: rows shorter than a vector
        new(2, 19, 14, 14, 19, 5, 5, StrideH: 2, StrideW: 2, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 19), // lanes: 2 full channel groups + 3
        new(1, 17, 7, 7, 17, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 17), // 7×7 maps, 17 channels
        // channel lanes, stride 1, rows of eight sharing their loads: row ends of 4 and 1 (blocks of four, single
        // pixels), of 5 (a block running past the row), 7×7 maps with 5×5 filters, uneven pads
        new(1, 11, 12, 12, 11, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 11),
        new(1, 9, 10, 9, 9, 5, 5, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 9),
        new(2, 10, 7, 7, 10, 5, 5, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 10),
        new(1, 8, 6, 13, 8, 3, 3, PadTop: 0, PadLeft: 2, PadBottom: 2, PadRight: 0, Groups: 8),
        new(1, 9, 11, 6, 9, 3, 3, DilationH: 2, DilationW: 2, PadTop: 1, PadLeft: 2, PadBottom: 3, PadRight: 0, Groups: 9), // dilated, uneven pads
        new(1, 9, 7, 7, 9, 9, 9, PadTop: 4, PadLeft: 4, PadBottom: 4, PadRight: 4, Groups: 9), // 81 taps: beyond the channel-lane path's
        new(1, 10, 60, 58, 10, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 10), // stride 2 on a large plane: lanes
        new(1, 3, 113, 9, 3, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3), // tall stride 2: 1017 ≤ 112² pixels, padded 115 × 11
        // 3×3 stride 2 read straight from the rows (AVX-512): whole vectors and a masked end, odd widths, no bottom or
        // right padding, rows under 32 columns (every vector masked), and MobileNetV2's 112 → 56
        new(2, 5, 34, 40, 5, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 5),
        new(1, 4, 33, 67, 4, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 0, PadRight: 0, Groups: 4),
        new(1, 3, 31, 31, 3, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3),
        new(1, 3, 112, 112, 3, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3),
        // 3×3 stride 1 straight from the rows (AVX-512, rows of 64 and more): a masked end (71 = 4·16 + 7), an odd
        // row count (the last output row alone), two images, and MobileNetV2's 112×112
        new(2, 3, 9, 71, 3, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 3),
        new(1, 2, 112, 112, 2, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 2),
    ];

    private static double[] Round(double[] v, DType t) => t == DType.Float32 ? v.Select(d => (double)(float)d).ToArray() : v;

    private static void Check(IKernels k, Conv2dParams p, DType t, int seed, bool withBias, bool withResidual, string what, bool constantWeights = false)
    {
        var x = Round(Backends.Random(p.N * p.C * p.H * p.W, seed, -2, 2), t);
        var w = Round(Backends.Random(p.K * p.CPerGroup * p.KH * p.KW, seed + 1), t);
        var bias = Round(Backends.Random(p.K, seed + 2), t);
        var residual = Round(Backends.Random(p.N * p.K * p.OH * p.OW, seed + 3, -2, 2), t);
        var expected = ConvReference.Forward(p, x, w, withBias ? bias : null, withResidual ? residual : null);
        var y = Backends.Upload(k, Enumerable.Repeat(double.NaN, expected.Length).ToArray(), t);
        var wb = Backends.Upload(k, w, t);
        if (constantWeights && wb is CpuBuffer<float> wf) wf.MarkConstant(); // a model's weights: packed once
        if (constantWeights && wb is CpuBuffer<double> wd) wd.MarkConstant();
        k.Conv2d(p, Backends.Upload(k, x, t), wb, withBias ? Backends.Upload(k, bias, t) : null, y,
            withResidual ? Backends.Upload(k, residual, t) : null);
        double tol = Backends.Tol(t, p.CPerGroup * p.KH * p.KW + 2);
        Backends.AssertClose(expected, Backends.Download(k, y), tol, tol, $"{k.Name} {t} {what} {p}");
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void ResidualAndEveryActivation(string backend)
    {
        using var k = Backends.Create(backend);
        int seed = 3000;
        foreach (var t in Types)
            for (int i = 0; i < Conv2dTests.Cases.Length; i++)
            {
                var act = Activations[i % Activations.Length];
                var p = Conv2dTests.Cases[i] with { Activation = act, ActivationMin = -0.3, ActivationMax = 0.4, ActivationAlpha = 0.07 };
                Check(k, p, t, seed += 10, withBias: i % 3 != 2, withResidual: true, "residual");
                Check(k, p with { Activation = Activations[(i + 3) % Activations.Length] }, t, seed += 10, true, i % 2 == 0, "epilogue");
            }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void EdgeTilesOfSeventeenColumnsWithEveryActivation(string backend)
    {
        // 1×1 convolutions on 7×7 (49 = 32 + 17: an edge tile of one whole vector and one column) and 4×6 (24 = 16 + 8)
        // maps, 20 output channels (a short row tile too), C = 700 (more than one K block: later blocks read C back)
        using var k = Backends.Create(backend);
        int seed = 7000;
        foreach (var t in Types)
            foreach (var (h, w) in new[] { (7, 7), (4, 6) })
                for (int i = 0; i < Activations.Length; i++)
                {
                    var p = new Conv2dParams(1, 700, h, w, 20, 1, 1, Activation: Activations[i], ActivationMin: -0.3, ActivationMax: 0.4, ActivationAlpha: 0.07);
                    Check(k, p, t, seed += 10, withBias: true, withResidual: i % 2 == 0, "edge");
                    Check(k, p, t, seed += 10, withBias: i % 2 == 0, withResidual: true, "edge, constant weights", constantWeights: true);
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void StemsOfFewChannels(string backend)
    {
        // dense 3×3 stride 2 of one to four channels (with AVX-512 straight from the rows): odd and even sizes, rows
        // of one vector and a masked end, no bottom or right padding, 8 to 32 output channels, every activation
        using var k = Backends.Create(backend);
        Conv2dParams[] stems =
        [
            new(2, 3, 35, 36, 16, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
            new(1, 1, 32, 33, 8, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 0, PadRight: 0),
            new(1, 4, 9, 70, 32, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
            new(1, 3, 224, 224, 8, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1),
        ];
        int seed = 9000;
        foreach (var t in Types)
            for (int i = 0; i < stems.Length; i++)
                foreach (var act in Activations)
                {
                    var p = stems[i] with { Activation = act, ActivationMin = -0.5, ActivationMax = 0.6, ActivationAlpha = 0.2 };
                    Check(k, p, t, seed += 10, withBias: (i + (int)act) % 3 != 0, withResidual: (i + (int)act) % 2 == 0, "stem", constantWeights: act == FusedActivation.Relu);
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void DepthwiseRowKernels(string backend)
    {
        // small planes put the channels in the vector lanes; with that off, every case takes the row kernels
        using var made = Backends.Create(backend);
        DepthwiseCasesOn(made is CpuKernels cpu ? cpu.WithoutDepthwiseChannelLanes() : made);
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void DepthwiseChannelLanes(string backend)
    {
        if (!backend.StartsWith("cpu", StringComparison.Ordinal)) return; // the GPU kernels have no such path
        using var k = Backends.Create(backend);
        DepthwiseCasesOn(((CpuKernels)k).WithoutDepthwiseFromRows());
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void DepthwiseFromTheRows(string backend)
    {
        // the default path choice: 3×3 stride 2, and stride 1 on large planes, straight from the rows where the processor has AVX-512
        if (!backend.StartsWith("cpu", StringComparison.Ordinal)) return;
        using var k = Backends.Create(backend);
        DepthwiseCasesOn(k);
    }

    [Fact]
    public void ThePathChoiceOfDepthwisePlanes()
    {
        if (!CpuKernels.IsSupported(SimdLevel.Vector256)) return; // the lanes need AVX2 + FMA
        static Conv2dParams Dw(int c, int hw, int stride) =>
            new(1, c, hw, hw, c, 3, 3, StrideH: stride, StrideW: stride, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: c);
        bool Lanes(Conv2dParams p) => DepthwiseChannels.Applies<float>(new ConvGeometry(p), SimdLevel.Vector256);
        Assert.True(Lanes(Dw(96, 112, 2)));   // MobileNetV2's 112 → 56
        Assert.True(Lanes(Dw(144, 56, 2)));
        Assert.True(Lanes(new Conv2dParams(1, 10, 60, 58, 10, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1, Groups: 10)));
        Assert.False(Lanes(Dw(96, 114, 2)));  // past the buffer bound: the row kernels
        Assert.False(Lanes(Dw(144, 56, 1)));  // stride 1 on a large plane: the row kernels
        Assert.True(Lanes(Dw(576, 14, 1)));   // 3×3 up to 14×14
        Assert.False(Lanes(Dw(192, 28, 1)));
        var big = new Conv2dParams(1, 240, 28, 28, 240, 5, 5, PadTop: 2, PadLeft: 2, PadBottom: 2, PadRight: 2, Groups: 240);
        Assert.True(Lanes(big));              // 5×5 up to 28×28
        Assert.False(Lanes(big with { H = 56, W = 56 }));
        Assert.False(DepthwiseChannels.Applies<double>(new ConvGeometry(Dw(96, 112, 2)), SimdLevel.Vector256));
        if (!CpuKernels.IsSupported(SimdLevel.Vector512)) return;
        bool Rows(Conv2dParams p) => DepthwiseStride2Rows.Applies<float>(new ConvGeometry(p), SimdLevel.Vector512);
        Assert.True(Rows(Dw(96, 112, 2)));    // 3×3 stride 2 with rows of at least 16 outputs: straight from the rows
        Assert.True(Rows(Dw(144, 56, 2)));
        Assert.False(Rows(Dw(576, 14, 2)));   // 7 outputs a row: the channel lanes
        Assert.False(Rows(Dw(144, 56, 1)));
        Assert.False(DepthwiseStride2Rows.Applies<float>(new ConvGeometry(Dw(96, 112, 2)), SimdLevel.Vector256));
        Assert.False(DepthwiseStride2Rows.Applies<double>(new ConvGeometry(Dw(96, 112, 2)), SimdLevel.Vector512));
        Assert.True(DepthwiseStride1Rows.Applies<float>(new ConvGeometry(Dw(32, 112, 1)), SimdLevel.Vector512));
        Assert.False(DepthwiseStride1Rows.Applies<float>(new ConvGeometry(Dw(144, 56, 1)), SimdLevel.Vector512)); // the row kernels
        var stem = new Conv2dParams(1, 3, 224, 224, 32, 3, 3, StrideH: 2, StrideW: 2, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        Assert.True(StemStride2Rows.Applies<float>(new ConvGeometry(stem), SimdLevel.Vector512));      // MobileNetV2's and EfficientNet-B0's
        Assert.False(StemStride2Rows.Applies<float>(new ConvGeometry(stem with { C = 16 }), SimdLevel.Vector512)); // many channels: im2col and GEMM
        Assert.False(StemStride2Rows.Applies<float>(new ConvGeometry(stem with { K = 30 }), SimdLevel.Vector512));
    }

    private static void DepthwiseCasesOn(IKernels k)
    {
        int seed = 4000;
        foreach (var t in Types)
            for (int i = 0; i < DepthwiseCases.Length; i++)
                foreach (var act in Activations)
                {
                    var p = DepthwiseCases[i] with { Activation = act, ActivationMin = -0.5, ActivationMax = 0.6, ActivationAlpha = 0.2 };
                    Check(k, p, t, seed += 10, withBias: true, withResidual: (i + (int)act) % 2 == 0, "depthwise");
                }
    }

    [Theory, MemberData(nameof(BackendNames))]
    public void ResidualMustNotBeTheOutput(string backend)
    {
        using var k = Backends.Create(backend);
        var p = new Conv2dParams(1, 2, 5, 5, 2, 3, 3, PadTop: 1, PadLeft: 1, PadBottom: 1, PadRight: 1);
        var x = k.Allocate(DType.Float32, 50);
        var w = k.Allocate(DType.Float32, 36);
        var y = k.Allocate(DType.Float32, 50);
        var e = Assert.Throws<ArgumentException>(() => k.Conv2d(p, x, w, null, y, y));
        Assert.Contains("residual", e.Message);
        var shortResidual = k.Allocate(DType.Float32, 49);
        Assert.Throws<ArgumentException>(() => k.Conv2d(p, x, w, null, y, shortResidual));
    }

    [Fact]
    public void FusedActivationMatchesTheUnaryOp()
    {
        // a fused activation gives the values of the conv followed by the unary op on the same backend (float32,
        // 3×3 dense and depthwise): the epilogue formulas are the unary kernels' formulas
        foreach (var simd in new[] { SimdLevel.Vector256, SimdLevel.Scalar })
        {
            if (!CpuKernels.IsSupported(simd)) continue;
            var k = new CpuKernels(simd, 1);
            foreach (var (act, kind, alpha) in new[] { (FusedActivation.LeakyRelu, UnaryKind.LeakyRelu, 0.07), (FusedActivation.HardSwish, UnaryKind.HardSwish, 0), (FusedActivation.Silu, UnaryKind.Silu, 0) })
                foreach (var p0 in new[] { Conv2dTests.Cases[1], DepthwiseCases[1] })
                {
                    var p = p0 with { Activation = act, ActivationAlpha = alpha };
                    var x = Backends.Upload(k, Backends.Random(p.N * p.C * p.H * p.W, 7, -3, 3), DType.Float32);
                    var w = Backends.Upload(k, Backends.Random(p.K * p.CPerGroup * p.KH * p.KW, 8), DType.Float32);
                    long n = (long)p.N * p.K * p.OH * p.OW;
                    IBuffer fused = k.Allocate(DType.Float32, n), plain = k.Allocate(DType.Float32, n);
                    k.Conv2d(p, x, w, null, fused);
                    k.Conv2d(p with { Activation = FusedActivation.None }, x, w, null, plain);
                    k.Unary(kind, plain, plain, alpha);
                    Assert.Equal(Backends.Download(k, plain), Backends.Download(k, fused));
                }
        }
    }
}
