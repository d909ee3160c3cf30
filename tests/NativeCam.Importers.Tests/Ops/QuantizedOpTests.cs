using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NativeCam.Engine.Autodiff;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels;
using NativeCam.Importers.Tests.Support;
using Onnx;
using DT = Onnx.TensorProto.Types.DataType;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Ops;

/// <summary>
/// Quantized ops imported as float graphs, compared with ONNX Runtime's true integer execution of the same model.
/// Each graph is x → QuantizeLinear → op → DequantizeLinear. The inputs lie exactly on the input quantisation grid
/// (x = (q − zp)·scale with power-of-two scales), so ORT's QuantizeLinear is exact and both sides start from the
/// same real values. What remains is ORT's rounding of the output to its grid (≤ ½ step) and its float requantisation
/// multiplier, which can push a value lying near a half-step boundary into the neighbouring step (another ≤ ½ step):
/// hence the tolerance of ONE output quantisation step (plus 1e-5 relative for float32 sums). Saturation is exact on
/// both sides, and each test checks that some outputs saturate, so the clamp to the representable range is exercised.
/// ORT runs with session.x64quantprecision = 1 (<see cref="ExactOrtOptions"/>): on x64 CPUs without VNNI its default
/// u8·s8 kernels add pairs of products in saturating 16-bit lanes (VPMADDUBSW), which overflow with full-range int8
/// weights and make ORT itself wrong by many steps (seen here: 31 steps on a 3×3×3 conv); the option selects its
/// exact u8·u8 kernels (the results of VNNI machines).
/// </summary>
public class QuantizedOpTests
{
    private const string Ms = "com.microsoft";

    // ───────── helpers ─────────

    private static TensorProto Ints(string name, DT type, long[] v, params int[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        t.Dims.AddRange(dims.Select(d => (long)d));
        byte[] raw = type switch
        {
            DT.Int8 => v.Select(x => (byte)(sbyte)x).ToArray(),
            DT.Uint8 => v.Select(x => (byte)x).ToArray(),
            DT.Int32 => v.SelectMany(x => BitConverter.GetBytes((int)x)).ToArray(),
            _ => throw new ArgumentException(type.ToString()),
        };
        t.RawData = ByteString.CopyFrom(raw);
        return t;
    }

    private static TensorProto Zp(string name, DT type, long v) => Ints(name, type, [v]);
    private static TensorProto Scale(string name, float v) => OnnxGraphBuilder.FloatTensor(name, [v]);
    private static TensorProto Floats(string name, float[] v, params int[] dims) => OnnxGraphBuilder.FloatTensor(name, v, dims);

    private static long[] RandomInts(int n, int seed, long lo, long hi)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (long)r.Next((int)lo, (int)hi + 1)).ToArray();
    }

    /// <summary>Full-range int8 weights.</summary>
    private static long[] Weights(int n, int seed) => RandomInts(n, seed, -127, 127);

    /// <summary>Inputs on the grid: (q − zp)·scale for q uniform in [lo, hi].</summary>
    private static float[] GridInput(int[] shape, int seed, float scale, long zp, long lo, long hi) =>
        RandomInts(shape.Aggregate(1, (a, b) => a * b), seed, lo, hi).Select(q => (float)((q - zp) * scale)).ToArray();

    /// <summary>
    /// ORT's session options for exact integer arithmetic: one thread, and u8·u8 kernels instead of the u8·s8 ones that
    /// saturate on x64 CPUs without VNNI. session.x64quantprecision does that through a level-2 graph transformer
    /// (Avx2WeightS8ToU8Transformer: int8 weights + 128, zero point moved with them; the same products exactly),
    /// hence the EXTENDED optimisation level.
    /// </summary>
    public static SessionOptions ExactOrtOptions()
    {
        var o = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, IntraOpNumThreads = 1 };
        o.AddSessionConfigEntry("session.x64quantprecision", "1");
        return o;
    }

    /// <summary>Runs a session on one float input; returns the first output's data and shape.</summary>
    public static (float[] Data, int[] Shape) RunOrt(InferenceSession session, float[] input, int[] shape)
    {
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), tensor)]);
        var t = results.First().AsTensor<float>();
        return (t.ToArray(), t.Dimensions.ToArray());
    }

    /// <summary>Runs ORT (exact integer mode) and the importer on one input; returns both outputs (shapes checked equal).</summary>
    /// <param name="exact">False: ORT's plain options (for s8 activations, where the precision transformer leaves an
    /// s8·u8 QLinearConv that ORT has no kernel for); the test must then keep its weights 7-bit.</param>
    private static (float[] Ours, float[] Ort) RunBoth(string path, float[] input, int[] shape, bool exact = true)
    {
        using var options = exact ? ExactOrtOptions() : new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(path, options);
        var (ort, ortShape) = RunOrt(session, input, shape);
        var model = OnnxModel.Load(path, new OnnxImportOptions { InputShape = shape });
        var ours = model.Run(Tensor.FromArray(input, shape));
        Assert.Equal(ortShape, ours.Shape);
        return (ours.ToFloatArray(), ort);
    }

    /// <summary>|ours − ort| ≤ tol + 1e-5·|ort| everywhere.</summary>
    private static void AssertWithin(float[] ours, float[] ort, double tol, string what)
    {
        Assert.Equal(ort.Length, ours.Length);
        for (int i = 0; i < ort.Length; i++)
            if (!(Math.Abs(ours[i] - ort[i]) <= tol + 1e-5 * Math.Abs(ort[i])))
                Assert.Fail($"{what}: element {i} is {ours[i]}, ORT gives {ort[i]} (tolerance {tol})");
    }

    /// <summary>Checks that some of ORT's outputs sit at the upper bound (the clamp matters) and some do not.</summary>
    private static void AssertSomeSaturate(float[] ort, double hi, string what)
    {
        int top = ort.Count(v => Math.Abs(v - hi) < 1e-6 * Math.Max(1, Math.Abs(hi)));
        Assert.True(top > 0 && top < ort.Length, $"{what}: {top} of {ort.Length} outputs at the upper bound {hi}; the test should saturate some");
    }

    /// <summary>x → QuantizeLinear(xs, xzp) named "xq"; the caller adds the op writing "yq"; → DequantizeLinear(ys, yzp) → y.</summary>
    private static OnnxGraphBuilder Wrap(int opset, int[] shape, float xs, DT xt, long xzp, float ys, DT yt, long yzp)
    {
        var b = new OnnxGraphBuilder(opset).Input("x", shape)
            .Initializer(Scale("xs", xs)).Initializer(Zp("xzp", xt, xzp))
            .Initializer(Scale("ys", ys)).Initializer(Zp("yzp", yt, yzp))
            .Node("QuantizeLinear", ["x", "xs", "xzp"], ["xq"]);
        return b;
    }

    private static string Finish(OnnxGraphBuilder b) =>
        b.Node("DequantizeLinear", ["yq", "ys", "yzp"], ["y"]).Output("y").Save();

    // ───────── QuantizeLinear / DequantizeLinear ─────────

    [Theory]
    [InlineData(DT.Uint8, 128L, 10)]
    [InlineData(DT.Uint8, 0L, 13)]
    [InlineData(DT.Int8, -20L, 13)]
    [InlineData(DT.Int8, 0L, 19)]
    public void QuantizeDequantizeRoundTripIsTheClampWithinHalfAStep(DT type, long zp, int opset)
    {
        // off-grid inputs over a range wider than the representable one: ORT rounds (≤ ½ step), we clamp only
        const float s = 0.02f;
        int[] shape = [2, 3, 4, 5];
        var path = new OnnxGraphBuilder(opset).Input("x", shape)
            .Initializer(Scale("s", s)).Initializer(Zp("zp", type, zp))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["q"])
            .Node("DequantizeLinear", ["q", "s", "zp"], ["y"]).Output("y").Save();
        double lo = ((type == DT.Uint8 ? 0 : -128) - zp) * s, hi = ((type == DT.Uint8 ? 255 : 127) - zp) * s;
        var input = OrtPeer.RandomInput(shape, 3, lo - 1, hi + 1);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, s / 2 + 1e-6, $"Q/DQ {type} zp {zp}");
        AssertSomeSaturate(ort, hi, "Q/DQ");
    }

    [Fact]
    public void QuantizeWithoutZeroPointDefaultsToUint8Zero()
    {
        int[] shape = [1, 8];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Scale("s", 0.05f))
            .Node("QuantizeLinear", ["x", "s"], ["q"])
            .Node("DequantizeLinear", ["q", "s"], ["y"]).Output("y").Save();
        var input = new float[] { -1, -0.01f, 0, 0.3f, 5, 12.75f, 13, 100 };
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 0.025 + 1e-6, "Q/DQ default zp");
        Assert.Equal(0f, ours[0]);
        Assert.Equal(12.75f, ours[7], 5);
    }

    [Fact]
    public void PerAxisQuantizeDequantizeMatchesOrt()
    {
        int[] shape = [2, 3, 4];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Floats("s", [0.01f, 0.02f, 0.04f], 3)).Initializer(Ints("zp", DT.Int8, [0, 10, -30], 3))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["q"], ("axis", 1))
            .Node("DequantizeLinear", ["q", "s", "zp"], ["y"], ("axis", -2)).Output("y").Save();
        var input = OrtPeer.RandomInput(shape, 5, -6, 6);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 0.02 + 1e-6, "per-axis Q/DQ");
    }

    [Fact]
    public void DequantizedPerChannelWeightsFeedAFloatConv()
    {
        // QDQ style: int8 weights known at import, dequantised per output channel (axis 0), then a float Conv
        int[] shape = [1, 3, 6, 6];
        var w = Weights(4 * 3 * 9, 7);
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Ints("wq", DT.Int8, w, 4, 3, 3, 3))
            .Initializer(Floats("ws", [0.01f, 0.005f, 0.02f, 0.013f], 4)).Initializer(Ints("wzp", DT.Int8, [0, 3, -2, 0], 4))
            .Node("DequantizeLinear", ["wq", "ws", "wzp"], ["w"], ("axis", 0))
            .Node("Conv", ["x", "w"], ["y"], ("pads", new[] { 1, 1, 1, 1 })).Output("y").Save();
        var input = OrtPeer.RandomInput(shape, 8);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 1e-5, "DQ weights + Conv");
    }

    [Fact]
    public void QuantizeOfAConstantGivesTheTrueIntegers()
    {
        // Q(c) known at import must hold the rounded integers (half to even), which DequantizeLinear then reads
        int[] shape = [1, 6];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Floats("c", [0.25f, -0.75f, 1.01f, 3.3f, -9f, 0.049f], 6))
            .Initializer(Scale("s", 0.5f)).Initializer(Zp("zp", DT.Int8, -3))
            .Node("QuantizeLinear", ["c", "s", "zp"], ["cq"])
            .Node("DequantizeLinear", ["cq", "s", "zp"], ["cr"])
            .Node("Add", ["x", "cr"], ["y"]).Output("y").Save();
        var input = OrtPeer.RandomInput(shape, 9);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 1e-6, "Q of a constant");
    }

    [Fact]
    public void ContribQuantizeDequantizeMatchOrt()
    {
        int[] shape = [2, 5];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Scale("s", 0.03f)).Initializer(Zp("zp", DT.Uint8, 90))
            .Node("QuantizeLinear", Ms, ["x", "s", "zp"], ["q"])
            .Node("DequantizeLinear", Ms, ["q", "s", "zp"], ["y"]).Output("y").Save();
        var input = OrtPeer.RandomInput(shape, 10, -4, 6);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 0.015 + 1e-6, "com.microsoft Q/DQ");
    }

    // ───────── QLinearConv ─────────

    [Fact]
    public void QLinearConvPerChannelInt8WeightsWithBiasMatchesOrt()
    {
        const float xs = 1 / 32f, ys = 0.05f;
        int[] shape = [1, 3, 9, 9];
        var b = Wrap(13, shape, xs, DT.Uint8, 128, ys, DT.Uint8, 0)
            .Initializer(Ints("w", DT.Int8, Weights(4 * 3 * 9, 11), 4, 3, 3, 3))
            .Initializer(Floats("ws", [0.01f, 0.013f, 0.007f, 0.011f], 4)).Initializer(Ints("wzp", DT.Int8, [0, 0, 0, 0], 4))
            .Initializer(Ints("bias", DT.Int32, [1000, -3000, 0, 12000], 4))
            .Node("QLinearConv", ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp", "bias"], ["yq"],
                ("pads", new[] { 1, 1, 1, 1 }), ("strides", new[] { 2, 2 }));
        var path = Finish(b);
        var input = GridInput(shape, 12, xs, 128, 0, 255);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, ys, "QLinearConv u8/s8 per channel");
        AssertSomeSaturate(ort, 255 * ys, "QLinearConv");
        Assert.Contains(ort, v => v == 0); // the lower bound (ReLU-like) is hit too
    }

    [Fact]
    public void QLinearConvDepthwiseMatchesOrt()
    {
        const float xs = 1 / 16f, ys = 0.03f;
        int[] shape = [2, 4, 7, 7];
        var b = Wrap(13, shape, xs, DT.Uint8, 100, ys, DT.Uint8, 0)
            .Initializer(Ints("w", DT.Int8, Weights(4 * 9, 13), 4, 1, 3, 3))
            .Initializer(Floats("ws", [0.004f, 0.006f, 0.005f, 0.008f], 4)).Initializer(Ints("wzp", DT.Int8, [0, 0, 0, 0], 4))
            .Initializer(Ints("bias", DT.Int32, [50, -40, 300, 0], 4))
            .Node("QLinearConv", ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp", "bias"], ["yq"],
                ("group", 4), ("pads", new[] { 1, 1, 1, 1 }), ("kernel_shape", new[] { 3, 3 }));
        var path = Finish(b);
        var input = GridInput(shape, 14, xs, 100, 0, 255);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, ys, "QLinearConv depthwise");
        AssertSomeSaturate(ort, 255 * ys, "QLinearConv depthwise");
    }

    [Fact]
    public void QLinearConvInt8ActivationsPerTensorWeightsNoBiasDilatedMatchesOrt()
    {
        // defaults: strides 1, pads 0, group 1; no bias; s8 activations with non-zero zero points. ORT's plain
        // kernels (see RunBoth) shift s8 activations to u8 and saturate u8·s8 pairs: 7-bit weights keep them exact
        const float xs = 1 / 32f, ys = 0.08f;
        int[] shape = [1, 2, 8, 8];
        var b = Wrap(13, shape, xs, DT.Int8, 5, ys, DT.Int8, -10)
            .Initializer(Ints("w", DT.Int8, RandomInts(3 * 2 * 9, 15, -63, 63), 3, 2, 3, 3))
            .Initializer(Scale("ws", 0.024f)).Initializer(Zp("wzp", DT.Int8, 0))
            .Node("QLinearConv", ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp"], ["yq"], ("dilations", new[] { 2, 2 }));
        var path = Finish(b);
        var input = GridInput(shape, 16, xs, 5, -128, 127);
        var (ours, ort) = RunBoth(path, input, shape, exact: false);
        AssertWithin(ours, ort, ys, "QLinearConv s8/s8");
        AssertSomeSaturate(ort, (127 + 10) * ys, "QLinearConv s8");
    }

    // ───────── QLinearMatMul, QGemm ─────────

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void QLinearMatMulMatchesOrt(bool perColumn)
    {
        const float xs = 1 / 32f, ys = 0.04f;
        int[] shape = [2, 3, 8];
        var b = Wrap(13, shape, xs, DT.Uint8, 128, ys, DT.Uint8, 100)
            .Initializer(Ints("w", DT.Int8, Weights(8 * 5, 17), 8, 5));
        b = perColumn
            ? b.Initializer(Floats("ws", [0.01f, 0.02f, 0.005f, 0.015f, 0.01f], 5)).Initializer(Ints("wzp", DT.Int8, [0, 0, 0, 0, 0], 5))
            : b.Initializer(Scale("ws", 0.01f)).Initializer(Zp("wzp", DT.Int8, 0));
        b.Node("QLinearMatMul", ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp"], ["yq"]);
        var path = Finish(b);
        var input = GridInput(shape, 18, xs, 128, 0, 255);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, ys, "QLinearMatMul");
        AssertSomeSaturate(ort, 155 * ys, "QLinearMatMul");
    }

    [Fact]
    public void QGemmTransBPerColumnWithBiasQuantizedOutputMatchesOrt()
    {
        const float xs = 1 / 32f, ys = 0.02f;
        int[] shape = [3, 8];
        var b = Wrap(13, shape, xs, DT.Uint8, 128, ys, DT.Uint8, 120)
            .Initializer(Ints("w", DT.Int8, Weights(5 * 8, 19), 5, 8))
            .Initializer(Floats("ws", [0.01f, 0.02f, 0.005f, 0.015f, 0.01f], 5)).Initializer(Ints("wzp", DT.Int8, [0, 0, 0, 0, 0], 5))
            .Initializer(Ints("c", DT.Int32, [500, -800, 0, 3000, -100], 5))
            .Node("QGemm", Ms, ["xq", "xs", "xzp", "w", "ws", "wzp", "c", "ys", "yzp"], ["yq"], ("transB", 1));
        var path = Finish(b);
        var input = GridInput(shape, 20, xs, 128, 0, 255);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, ys, "QGemm quantized");
        AssertSomeSaturate(ort, 135 * ys, "QGemm");
    }

    [Fact]
    public void QGemmFloatOutputWithAlphaMatchesOrt()
    {
        // no y_scale / y_zero_point: the output is float (no clamp, no rounding): agreement to float precision
        const float xs = 1 / 32f;
        int[] shape = [4, 6];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Scale("xs", xs)).Initializer(Zp("xzp", DT.Uint8, 128))
            .Initializer(Ints("w", DT.Int8, Weights(6 * 3, 21), 6, 3))
            .Initializer(Scale("ws", 0.02f)).Initializer(Zp("wzp", DT.Int8, 0))
            .Initializer(Ints("c", DT.Int32, [100, -200, 40], 3))
            .Node("QuantizeLinear", ["x", "xs", "xzp"], ["xq"])
            .Node("QGemm", Ms, ["xq", "xs", "xzp", "w", "ws", "wzp", "c"], ["y"], ("alpha", 0.5f))
            .Output("y").Save();
        var input = GridInput(shape, 22, xs, 128, 0, 255);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 1e-5, "QGemm float output");
    }

    // ───────── QLinearAdd, QLinearMul, QLinearGlobalAveragePool ─────────

    [Theory]
    [InlineData("QLinearAdd")]
    [InlineData("QLinearMul")]
    public void QLinearBinaryOfTwoRuntimeOperandsMatchesOrt(string op)
    {
        // B is a second quantization of x with another range: x below B's range is clamped there first
        const float xs = 1 / 32f;
        float cs = op == "QLinearAdd" ? 0.04f : 0.05f;
        int[] shape = [2, 4, 3, 3];
        var b = Wrap(13, shape, xs, DT.Uint8, 128, cs, DT.Uint8, 80)
            .Initializer(Scale("bs", xs)).Initializer(Zp("bzp", DT.Uint8, 60))
            .Node("QuantizeLinear", ["x", "bs", "bzp"], ["bq"])
            .Node(op, Ms, ["xq", "xs", "xzp", "bq", "bs", "bzp", "ys", "yzp"], ["yq"]);
        var path = Finish(b);
        var input = GridInput(shape, 23, xs, 128, 0, 255);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, cs, op);
        AssertSomeSaturate(ort, 175 * cs, op);
    }

    [Fact]
    public void QLinearAddOfAKnownBroadcastOperandMatchesOrt()
    {
        const float xs = 1 / 32f, cs = 0.04f;
        int[] shape = [1, 4, 3, 3];
        var b = Wrap(13, shape, xs, DT.Int8, 0, cs, DT.Int8, 0)
            .Initializer(Ints("k", DT.Int8, [3, 40, 100, 127], 4, 1, 1)).Initializer(Scale("ks", 0.04f)).Initializer(Zp("kzp", DT.Int8, 3))
            .Node("QLinearAdd", Ms, ["xq", "xs", "xzp", "k", "ks", "kzp", "ys", "yzp"], ["yq"]);
        var path = Finish(b);
        var input = GridInput(shape, 24, xs, 0, -128, 127);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, cs, "QLinearAdd known B");
        AssertSomeSaturate(ort, 127 * cs, "QLinearAdd known B");
    }

    [Fact]
    public void QLinearAddOfTwoKnownOperandsFoldsToTheTrueIntegers()
    {
        // folded at import: the result must be the integers ORT computes, so that DequantizeLinear reads them right
        int[] shape = [1, 5];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Ints("a", DT.Uint8, [3, 10, 200, 255, 0], 5)).Initializer(Scale("as", 0.1f)).Initializer(Zp("azp", DT.Uint8, 3))
            .Initializer(Ints("b", DT.Uint8, [7, 20, 100, 255, 1], 5)).Initializer(Scale("bs", 0.2f)).Initializer(Zp("bzp", DT.Uint8, 7))
            .Initializer(Scale("cs", 0.13f)).Initializer(Zp("czp", DT.Uint8, 0))
            .Node("QLinearAdd", Ms, ["a", "as", "azp", "b", "bs", "bzp", "cs", "czp"], ["cq"])
            .Node("DequantizeLinear", ["cq", "cs", "czp"], ["c"])
            .Node("Add", ["x", "c"], ["y"]).Output("y").Save();
        var input = OrtPeer.RandomInput(shape, 25);
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, 1e-5, "folded QLinearAdd");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void QLinearGlobalAveragePoolMatchesOrt(int channelsLast)
    {
        const float xs = 1 / 16f, ys = 0.02f;
        int[] shape = channelsLast == 1 ? [2, 5, 5, 4] : [2, 4, 5, 5];
        var b = Wrap(13, shape, xs, DT.Uint8, 100, ys, DT.Uint8, 50)
            .Node("QLinearGlobalAveragePool", Ms, ["xq", "xs", "xzp", "ys", "yzp"], ["yq"], ("channels_last", channelsLast));
        var path = Finish(b);
        // skewed so that some channel means pass the top of y's range ((255 − 50)·0.02 = 4.1)
        var input = GridInput(shape, 26, xs, 100, 60, 255);
        for (int i = 0; i < input.Length; i += 3) input[i] = (255 - 100) * xs;
        var (ours, ort) = RunBoth(path, input, shape);
        AssertWithin(ours, ort, ys, "QLinearGlobalAveragePool");
        Assert.Equal(channelsLast == 1 ? new[] { 2, 1, 1, 4 } : new[] { 2, 4, 1, 1 },
            OnnxModel.Load(path, new OnnxImportOptions { InputShape = shape }).TensorShapes["y"]);
    }

    // ───────── differentiability ─────────

    [Fact]
    public void QuantizeLinearPassesGradientsInsideTheRangeOnly()
    {
        // no rounding: dy/dx = 1 inside [(0 − zp)·s, (255 − zp)·s] = [0, 5.1], 0 where the clamp saturates
        int[] shape = [1, 8];
        var path = new OnnxGraphBuilder(13).Input("x", shape)
            .Initializer(Scale("s", 0.02f)).Initializer(Zp("zp", DT.Uint8, 0))
            .Node("QuantizeLinear", ["x", "s", "zp"], ["q"])
            .Node("DequantizeLinear", ["q", "s", "zp"], ["y"]).Output("y").Save();
        var model = OnnxModel.Load(path, new OnnxImportOptions { InputShape = shape, DType = DType.Float64 });
        double[] x = [-3, -1, 0.013, 0.5, 2.0071, 5.09, 6, 9];
        var g = Ad.Grad(t => model.Run(t).Sum(), Tensor.FromArray(x, shape)).ToArray();
        Assert.Equal(x.Select(v => v is > 0 and < 5.1 ? 1.0 : 0.0), g);
    }

    [Fact]
    public void QLinearConvGraphDerivativeMatchesFiniteDifferences()
    {
        const float xs = 1 / 32f, ys = 0.05f;
        int[] shape = [1, 3, 6, 6];
        var b = Wrap(13, shape, xs, DT.Uint8, 128, ys, DT.Uint8, 0)
            .Initializer(Ints("w", DT.Int8, Weights(4 * 3 * 9, 31), 4, 3, 3, 3))
            .Initializer(Floats("ws", [0.01f, 0.013f, 0.007f, 0.011f], 4)).Initializer(Ints("wzp", DT.Int8, [0, 0, 0, 0], 4))
            .Initializer(Ints("bias", DT.Int32, [1000, -3000, 0, 12000], 4))
            .Node("QLinearConv", ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp", "bias"], ["yq"], ("pads", new[] { 1, 1, 1, 1 }));
        var model = OnnxModel.Load(Finish(b), new OnnxImportOptions { InputShape = shape, DType = DType.Float64 });
        var x = Tensor.Uniform(shape, 32, -3, 3, DType.Float64);
        var v = Tensor.Uniform(shape, 33, -1, 1, DType.Float64);
        Func<Tensor, Tensor> f = t => (model.Run(t) * model.Run(t)).Sum(); // a scalar that weighs every output
        var (_, jv) = Ad.Jvp(f, x, v);
        const double eps = 1e-6;
        double fd = (f(x + v * eps).Item() - f(x - v * eps).Item()) / (2 * eps);
        Assert.True(Math.Abs(jv.Item()) > 1e-3, "the derivative should not vanish (no rounding in the graph)");
        Assert.True(Math.Abs(jv.Item() - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd)), $"J·v {jv.Item()}, finite differences {fd}");
    }

    // ───────── what is refused ─────────

    private static OnnxImportException ImportFails(string path, int[] shape) =>
        Assert.ThrowsAny<OnnxImportException>(() => OnnxModel.Load(path, new OnnxImportOptions { InputShape = shape }));

    [Fact]
    public void ScaleComputedAtRunTimeIsUnsupported()
    {
        var path = new OnnxGraphBuilder(13).Input("x", 1)
            .Node("QuantizeLinear", ["x", "x"], ["q"])
            .Node("DequantizeLinear", ["q", "x"], ["y"]).Output("y").Save();
        var e = ImportFails(path, [1]);
        Assert.IsType<OnnxUnsupportedException>(e);
        Assert.Contains("known at import", e.Message);
        Assert.Equal("QuantizeLinear", e.OpType);
    }

    [Theory]
    [InlineData(0f, "positive")]
    [InlineData(float.NaN, "positive")]
    public void NonPositiveScaleFails(float scale, string words)
    {
        var path = new OnnxGraphBuilder(13).Input("x", 1, 4)
            .Initializer(Scale("s", scale))
            .Node("QuantizeLinear", ["x", "s"], ["q"])
            .Node("DequantizeLinear", ["q", "s"], ["y"]).Output("y").Save();
        var e = ImportFails(path, [1, 4]);
        Assert.IsType<OnnxValidationException>(e);
        Assert.Contains(words, e.Message);
    }

    [Fact]
    public void MismatchedPerChannelScaleAndBlockSizeAreRefused()
    {
        int[] shape = [1, 3, 4, 4];
        var conv = Wrap(13, shape, 0.1f, DT.Uint8, 0, 0.1f, DT.Uint8, 0)
            .Initializer(Ints("w", DT.Int8, RandomInts(2 * 3 * 9, 1, -5, 5), 2, 3, 3, 3))
            .Initializer(Floats("ws", [0.1f, 0.1f, 0.1f], 3)).Initializer(Ints("wzp", DT.Int8, [0, 0, 0], 3))
            .Node("QLinearConv", ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp"], ["yq"]);
        var e = ImportFails(Finish(conv), shape);
        Assert.IsType<OnnxValidationException>(e);
        Assert.Contains("per output channel", e.Message);

        var blocked = new OnnxGraphBuilder(21).Input("x", 1, 4)
            .Initializer(Scale("s", 0.1f))
            .Node("QuantizeLinear", ["x", "s"], ["q"], ("block_size", 2))
            .Node("DequantizeLinear", ["q", "s"], ["y"]).Output("y").Save();
        Assert.IsType<OnnxUnsupportedException>(ImportFails(blocked, [1, 4]));
    }

    [Fact]
    public void QGemmYScaleWithoutZeroPointIsUnsupported()
    {
        var path = new OnnxGraphBuilder(13).Input("x", 2, 3)
            .Initializer(Scale("xs", 0.1f)).Initializer(Zp("xzp", DT.Uint8, 0))
            .Initializer(Ints("w", DT.Int8, [1, 2, 3, 4, 5, 6], 3, 2)).Initializer(Scale("ws", 0.1f)).Initializer(Zp("wzp", DT.Int8, 0))
            .Initializer(Scale("ys", 0.1f))
            .Node("QuantizeLinear", ["x", "xs", "xzp"], ["xq"])
            .Node("QGemm", Ms, ["xq", "xs", "xzp", "w", "ws", "wzp", "", "ys"], ["y"]).Output("y").Save();
        var e = ImportFails(path, [2, 3]);
        Assert.IsType<OnnxUnsupportedException>(e);
        Assert.Contains("y_zero_point", e.Message);
    }
}
