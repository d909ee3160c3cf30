using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Benchmarks;

/// <summary>One float32 benchmark case with its buffers allocated once; <see cref="Run"/> is the timed call.</summary>
public sealed class BenchCase
{
    private readonly Action _run;

    private BenchCase(string name, double flops, double bytes, Action run) { Name = name; Flops = flops; Bytes = bytes; _run = run; }

    /// <summary>Case name as reported.</summary>
    public string Name { get; }
    /// <summary>Floating-point operations per call (2 per multiply-add).</summary>
    public double Flops { get; }
    /// <summary>Bytes each call must move at least: every operand read once and the output written once.</summary>
    public double Bytes { get; }
    /// <summary>True for cases bounded by memory traffic rather than FMAs (depthwise): the report also rates them
    /// against the same-run copy bandwidth.</summary>
    public bool MemoryBound => Name.StartsWith("dw", StringComparison.Ordinal) || Name.StartsWith("dense", StringComparison.Ordinal);
    /// <summary>Runs the kernel once.</summary>
    public void Run() => _run();

    /// <summary>The reported case names.</summary>
    public static readonly string[] Names =
    [
        "gemm-1024", "gemm-256x3136x2304", "conv3x3-64x56", "conv3x3-256x14", "conv3x3-512x7",
        "winograd3x3-64x56", "winograd3x3-128x28", "winograd3x3-256x14", "winograd3x3-512x7", "conv1x1-256to1024x14", "conv1x1-256to1024x14-coldw", "conv1x1s2-512to1024x28", "conv1x1-64to256x56", "conv1x1-64to256x56-residual",
        "conv1x1-512to2048x7", "conv1x1-512to2048x7-coldw", "conv1x1-960to160x7", "conv1x1-960to160x7-constw", "conv1x1-320to1280x7-constw", "conv1x1-576to96x14-constw", "conv1x1-24to144x56", "conv1x1-16to96x112", "conv1x1-32to16x112", "conv1x1-144to24x56", "stem3x3s2-3to32x224", "stem7x7s2-3to64x224", "stem7x7s2-3to64x224-constw", "conv3x3s2-512x14", "conv3x3s2-128x56",
        "dw3x3-32x112", "dw3x3-96x112s2", "dw3x3-144x56", "dw3x3-144x56s2", "dw3x3-192x28", "dw3x3-384x14",
        "dw3x3-576x14", "dw3x3-576x14s2", "dw3x3-960x7", "dw5x5-240x28", "dw5x5-672x14", "dw5x5-1152x7", "dw5x5-672x14s2", "dw3x3-144x56-residual",
        "mbv2-head-112", "mbv2-block-144x56", "mbv2-block-576x14", "resnet-block-256x14", "dense-1280to1000-coldw", "se1x1-1152to48-constw", "se1x1-48to1152-constw",
    ];

    /// <summary>Builds the named case on <paramref name="k"/>.</summary>
    public static BenchCase Create(string name, CpuKernels k) => name switch
    {
        "gemm-1024" => Gemm(name, k, 1024, 1024, 1024),
        "dense-1280to1000-coldw" => DenseColdWeights(name, k, 1280, 1000),
        "gemm-256x3136x2304" => Gemm(name, k, 256, 3136, 2304),
        "conv3x3-64x56" => Conv(name, k, Same(64, 56, 64, 3)),
        "conv3x3-256x14" => Conv(name, k, Same(256, 14, 256, 3)),
        "conv3x3-512x7" => Conv(name, k, Same(512, 7, 512, 3)),
        "winograd3x3-64x56" => Conv(name, k, Same(64, 56, 64, 3), constantWeights: true),
        "winograd3x3-128x28" => Conv(name, k, Same(128, 28, 128, 3), constantWeights: true),
        "winograd3x3-256x14" => Conv(name, k, Same(256, 14, 256, 3), constantWeights: true),
        "winograd3x3-512x7" => Conv(name, k, Same(512, 7, 512, 3), constantWeights: true),
        "conv1x1-256to1024x14" => Conv(name, k, Same(256, 14, 1024, 1)),
        "conv1x1-64to256x56" => Conv(name, k, Same(64, 56, 256, 1)),
        "conv1x1-64to256x56-residual" => Conv(name, k, Same(64, 56, 256, 1), residual: true),
        "conv1x1s2-512to1024x28" => Conv(name, k, new Conv2dParams(1, 512, 28, 28, 1024, 1, 1, StrideH: 2, StrideW: 2)),
        "conv1x1-512to2048x7" => Conv(name, k, Same(512, 7, 2048, 1)),
        "conv1x1-512to2048x7-coldw" => ColdWeights(name, k, Same(512, 7, 2048, 1)),
        "conv1x1-960to160x7" => Conv(name, k, Same(960, 7, 160, 1)),
        "conv1x1-960to160x7-constw" => Conv(name, k, Same(960, 7, 160, 1), constantWeights: true),
        "conv1x1-320to1280x7-constw" => Conv(name, k, Same(320, 7, 1280, 1), constantWeights: true),
        "conv1x1-576to96x14-constw" => Conv(name, k, Same(576, 14, 96, 1), constantWeights: true),
        // a squeeze-excitation's two 1×1 convolutions on a 1×1 map (EfficientNet-B0's last blocks): matrix-vector products
        "se1x1-1152to48-constw" => Conv(name, k, Same(1152, 1, 48, 1), constantWeights: true),
        "se1x1-48to1152-constw" => Conv(name, k, Same(48, 1, 1152, 1), constantWeights: true),
        "conv1x1-24to144x56" => Conv(name, k, Same(24, 56, 144, 1)),
        "conv1x1-16to96x112" => Conv(name, k, Same(16, 112, 96, 1)),
        "conv1x1-32to16x112" => Conv(name, k, Same(32, 112, 16, 1)),
        "conv1x1-144to24x56" => Conv(name, k, Same(144, 56, 24, 1)),
        "conv1x1-256to1024x14-coldw" => ColdWeights(name, k, Same(256, 14, 1024, 1)),
        "stem3x3s2-3to32x224" => Conv(name, k, Strided(3, 224, 32, 3)),
        "stem7x7s2-3to64x224" => Conv(name, k, Strided(3, 224, 64, 7)),
        "stem7x7s2-3to64x224-constw" => Conv(name, k, Strided(3, 224, 64, 7), constantWeights: true),
        "conv3x3s2-512x14" => Conv(name, k, Strided(512, 14, 512, 3)),
        "conv3x3s2-128x56" => Conv(name, k, Strided(128, 56, 128, 3)),
        "dw3x3-32x112" => Conv(name, k, Dw(32, 112, 3, 1)),
        "dw3x3-96x112s2" => Conv(name, k, Dw(96, 112, 3, 2)),
        "dw3x3-144x56" => Conv(name, k, Dw(144, 56, 3, 1)),
        "dw3x3-144x56s2" => Conv(name, k, Dw(144, 56, 3, 2)),
        "dw3x3-192x28" => Conv(name, k, Dw(192, 28, 3, 1)),
        "dw3x3-384x14" => Conv(name, k, Dw(384, 14, 3, 1)),
        "dw3x3-576x14" => Conv(name, k, Dw(576, 14, 3, 1)),
        "dw3x3-576x14s2" => Conv(name, k, Dw(576, 14, 3, 2)),
        "dw3x3-960x7" => Conv(name, k, Dw(960, 7, 3, 1)),
        "dw5x5-240x28" => Conv(name, k, Dw(240, 28, 5, 1)),
        "dw5x5-672x14" => Conv(name, k, Dw(672, 14, 5, 1)),
        "dw5x5-1152x7" => Conv(name, k, Dw(1152, 7, 5, 1)),
        "dw5x5-672x14s2" => Conv(name, k, Dw(672, 14, 5, 2)),
        "dw3x3-144x56-residual" => Conv(name, k, Dw(144, 56, 3, 1), residual: true),
        "mbv2-head-112" => Chain(name, k, Strided(3, 224, 32, 3), Dw(32, 112, 3, 1), Same(32, 112, 16, 1), Same(16, 112, 96, 1)),
        "mbv2-block-144x56" => Chain(name, k, Same(24, 56, 144, 1), Dw(144, 56, 3, 1), Same(144, 56, 24, 1)),
        "mbv2-block-576x14" => Chain(name, k, Same(96, 14, 576, 1), Dw(576, 14, 3, 1), Same(576, 14, 96, 1)),
        "resnet-block-256x14" => Chain(name, k, Same(1024, 14, 256, 1), Same(256, 14, 256, 3), Same(256, 14, 1024, 1)),
        _ => throw new ArgumentException($"unknown case {name}"),
    };

    /// <summary>A dense K×KS convolution of C channels at H×H, "same" padding, stride 1.</summary>
    private static Conv2dParams Same(int c, int h, int k, int ks) =>
        new(1, c, h, h, k, ks, ks, PadTop: ks / 2, PadLeft: ks / 2, PadBottom: ks / 2, PadRight: ks / 2);

    /// <summary>A dense K×KS convolution of C channels at H×H, stride 2, "same" padding (a stem or downsampling conv).</summary>
    private static Conv2dParams Strided(int c, int h, int k, int ks) =>
        new(1, c, h, h, k, ks, ks, StrideH: 2, StrideW: 2, PadTop: ks / 2, PadLeft: ks / 2, PadBottom: ks / 2, PadRight: ks / 2);

    /// <summary>A depthwise convolution of C channels at H×H with "same" padding.</summary>
    private static Conv2dParams Dw(int c, int h, int ks, int stride) =>
        new(1, c, h, h, c, ks, ks, StrideH: stride, StrideW: stride, PadTop: ks / 2, PadLeft: ks / 2, PadBottom: ks / 2,
            PadRight: ks / 2, Groups: c);

    private static IBuffer Random(CpuKernels k, long n, int seed)
    {
        var r = new Random(seed);
        var data = new float[n];
        for (long i = 0; i < n; i++) data[i] = (float)(r.NextDouble() * 2 - 1);
        var b = k.Allocate(DType.Float32, n);
        k.Upload<float>(data, b);
        return b;
    }

    /// <summary>A classifier's dense layer for one image (y = x·Wᵀ + b, W as stored by ONNX Gemm with transB), its
    /// weights read from memory as in a network (copies cycled through 64 MB): a stream of W, bound by bandwidth.</summary>
    private static BenchCase DenseColdWeights(string name, CpuKernels k, int inputs, int outputs)
    {
        long wLen = (long)inputs * outputs;
        IBuffer x = Random(k, inputs, 1), c = k.Allocate(DType.Float32, outputs);
        var ws = ColdCopies(k, wLen);
        var p = new GemmParams(1, outputs, inputs, TransB: true);
        int next = 0;
        return new BenchCase(name, 2.0 * wLen, 4.0 * (wLen + inputs + outputs), () => k.Gemm(p, x, ws[next++ % ws.Length], c));
    }

    /// <summary>Constant weight arrays of <paramref name="length"/> floats, enough copies to fill 64 MB (at least two):
    /// cycled through, each is read from memory as a network's weights are (packed once per array where packed).</summary>
    private static IBuffer[] ColdCopies(CpuKernels k, long length)
    {
        int copies = (int)Math.Max(2, (64L << 20) / (4 * length));
        var ws = Enumerable.Range(0, copies).Select(i => Random(k, length, 100 + i)).ToArray();
        foreach (var w in ws) ((CpuBuffer<float>)w).MarkConstant();
        return ws;
    }

    private static BenchCase Gemm(string name, CpuKernels k, int m, int n, int kk)
    {
        IBuffer a = Random(k, (long)m * kk, 1), b = Random(k, (long)kk * n, 2), c = k.Allocate(DType.Float32, (long)m * n);
        var p = new GemmParams(m, n, kk);
        return new BenchCase(name, 2.0 * m * n * kk, 4.0 * ((long)m * kk + (long)kk * n + (long)m * n), () => k.Gemm(p, a, b, c));
    }

    private static double ConvBytes(Conv2dParams p, bool residual) =>
        4.0 * ((long)p.N * p.C * p.H * p.W + (long)p.K * p.CPerGroup * p.KH * p.KW + p.K
               + (residual ? 2L : 1L) * p.N * p.K * p.OH * p.OW);

    /// <summary>A convolution; with <paramref name="constantWeights"/> the weights are marked constant, so a 3×3
    /// stride-1 case runs through Winograd F(2×2, 3×3) (its GFLOP/s count the direct convolution's flops).</summary>
    private static BenchCase Conv(string name, CpuKernels k, Conv2dParams p, bool residual = false, bool constantWeights = false)
    {
        IBuffer x = Random(k, (long)p.N * p.C * p.H * p.W, 3), w = Random(k, (long)p.K * p.CPerGroup * p.KH * p.KW, 4);
        if (constantWeights) ((CpuBuffer<float>)w).MarkConstant();
        IBuffer bias = Random(k, p.K, 5), y = k.Allocate(DType.Float32, (long)p.N * p.K * p.OH * p.OW);
        IBuffer? r = residual ? Random(k, y.Length, 6) : null;
        var q = p with { Activation = FusedActivation.Relu };
        return new BenchCase(name, p.Flops, ConvBytes(p, residual), () => k.Conv2d(q, x, w, bias, y, r));
    }

    /// <summary>A convolution whose weights come from DRAM, as in a network whose weights exceed the caches: each call
    /// takes the next of enough weight copies to overflow the last-level cache. The copies are marked constant, as a
    /// model's weights are.</summary>
    private static BenchCase ColdWeights(string name, CpuKernels k, Conv2dParams p)
    {
        IBuffer x = Random(k, (long)p.N * p.C * p.H * p.W, 3), bias = Random(k, p.K, 5), y = k.Allocate(DType.Float32, (long)p.N * p.K * p.OH * p.OW);
        var ws = ColdCopies(k, (long)p.K * p.CPerGroup * p.KH * p.KW);
        int next = 0;
        var q = p with { Activation = FusedActivation.Relu };
        return new BenchCase(name, p.Flops, ConvBytes(p, false), () => k.Conv2d(q, x, ws[next++ % ws.Length], bias, y));
    }

    /// <summary>Convolutions run one after another, each reading the previous output (a network block).</summary>
    private static BenchCase Chain(string name, CpuKernels k, params Conv2dParams[] ps)
    {
        var input = Random(k, (long)ps[0].N * ps[0].C * ps[0].H * ps[0].W, 3);
        var steps = new List<Action>();
        double flops = 0, bytes = 0;
        var x = input;
        for (int i = 0; i < ps.Length; i++)
        {
            var p = ps[i] with { Activation = FusedActivation.Clip };
            IBuffer w = Random(k, (long)p.K * p.CPerGroup * p.KH * p.KW, 10 + i), bias = Random(k, p.K, 20 + i);
            IBuffer y = k.Allocate(DType.Float32, (long)p.N * p.K * p.OH * p.OW), xi = x;
            steps.Add(() => k.Conv2d(p, xi, w, bias, y));
            flops += p.Flops; bytes += ConvBytes(p, false);
            x = y;
        }
        return new BenchCase(name, flops, bytes, () => { foreach (var s in steps) s(); });
    }
}
