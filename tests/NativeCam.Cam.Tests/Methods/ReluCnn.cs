using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>
/// A small piecewise-linear CNN with biases, 3×12×12 → 3 classes: x → Conv(3→5, 3×3, bias) "c1" → Relu →
/// Conv(5→6, 3×3, stride 2, no bias) → BatchNormalization "bn" → Relu "r2" → MaxPool 2×2 → Conv 1×1 (6→4, bias)
/// "c3" → Relu → GlobalAveragePool → Flatten → Gemm (4→3, bias b4) "logits". Its biased layers' outputs are c1,
/// bn and c3 (the Conv before the BatchNormalization has no bias).
/// </summary>
public static class ReluCnn
{
    public static readonly string[] BiasLayers = ["c1", "bn", "c3"];

    public static (float[] Gamma, float[] Beta, float[] Mean, float[] Var, float[] B4) Parameters()
    {
        var rng = new Random(5);
        float[] R(int n, double lo, double hi) => Enumerable.Range(0, n).Select(_ => (float)(lo + (hi - lo) * rng.NextDouble())).ToArray();
        return (R(6, 0.5, 1.5), R(6, -0.3, 0.3), R(6, -0.2, 0.2), R(6, 0.5, 2), R(3, -0.5, 0.5));
    }

    public static byte[] Bytes()
    {
        var rng = new Random(3);
        float[] R(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((2 * rng.NextDouble() - 1) * scale)).ToArray();
        var (gamma, beta, mean, var, b4) = Parameters();
        var b = new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", 1, 3, 12, 12)
            .Output("logits")
            .Initializer("w1", R(5 * 3 * 9, 0.5), 5, 3, 3, 3).Initializer("b1", R(5, 0.3), 5)
            .Initializer("w2", R(6 * 5 * 9, 0.4), 6, 5, 3, 3)
            .Initializer("gamma", gamma, 6).Initializer("beta", beta, 6).Initializer("mean", mean, 6).Initializer("var", var, 6)
            .Initializer("w3", R(4 * 6, 0.8), 4, 6, 1, 1).Initializer("b3", R(4, 0.3), 4)
            .Initializer("w4", R(3 * 4, 1.0), 3, 4).Initializer("b4", b4, 3)
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("kernel_shape", new[] { 3, 3 }), ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c1"], ["r1"])
            .Node("Conv", ["r1", "w2"], ["c2"], ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }))
            .Node("BatchNormalization", ["c2", "gamma", "beta", "mean", "var"], ["bn"], ("epsilon", 1e-5f))
            .Node("Relu", ["bn"], ["r2"])
            .Node("MaxPool", ["r2"], ["p"], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }))
            .Node("Conv", ["p", "w3", "b3"], ["c3"], ("kernel_shape", new[] { 1, 1 }))
            .Node("Relu", ["c3"], ["r3"])
            .Node("GlobalAveragePool", ["r3"], ["gap"])
            .Node("Flatten", ["gap"], ["flat"], ("axis", 1))
            .Node("Gemm", ["flat", "w4", "b4"], ["logits"], ("transB", 1));
        return b.Build().ToByteArray();
    }

    public static Model Load(OnnxImportOptions? options = null) => OnnxModel.Load(Bytes(), "relu-cnn.onnx", options);
}
