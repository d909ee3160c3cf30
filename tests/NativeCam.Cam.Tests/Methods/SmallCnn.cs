using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Methods;

/// <summary>
/// A small random-weight CNN built in code, 3×16×16 → 4 classes, whose head has curvature and a side input:
/// x → Conv(3→6, 3×3, stride 2) → Relu "r1" → Conv(6→6, 3×3) "t" (the target: linear, takes negative values)
/// → SiLU as t·Sigmoid(t) → Conv 1×1 (6→5) "v"; "skip" = Conv 1×1 (6→5) of r1; Add → GlobalAveragePool → Flatten
/// → Gemm (5→4) "logits". The head from "t" reads "skip" from upstream.
/// </summary>
public static class SmallCnn
{
    public const string Target = "t";
    public const string Early = "r1";

    public static byte[] Bytes()
    {
        var rng = new Random(11);
        float[] R(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((2 * rng.NextDouble() - 1) * scale)).ToArray();
        var b = new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", 1, 3, 16, 16)
            .Output("logits")
            .Initializer("w1", R(6 * 3 * 9, 0.4), 6, 3, 3, 3).Initializer("b1", R(6, 0.1), 6)
            .Initializer("w2", R(6 * 6 * 9, 0.3), 6, 6, 3, 3).Initializer("b2", R(6, 0.1), 6)
            .Initializer("w3", R(5 * 6, 0.8), 5, 6, 1, 1).Initializer("b3", R(5, 0.1), 5)
            .Initializer("ws", R(5 * 6, 0.5), 5, 6, 1, 1)
            .Initializer("w4", R(4 * 5, 1.0), 4, 5).Initializer("b4", R(4, 0.1), 4)
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c1"], ["r1"])
            .Node("Conv", ["r1", "w2", "b2"], ["t"], ("kernel_shape", new[] { 3, 3 }), ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Sigmoid", ["t"], ["sg"])
            .Node("Mul", ["t", "sg"], ["silu"])
            .Node("Conv", ["silu", "w3", "b3"], ["v"], ("kernel_shape", new[] { 1, 1 }))
            .Node("Conv", ["r1", "ws"], ["skip"], ("kernel_shape", new[] { 1, 1 }))
            .Node("Add", ["v", "skip"], ["sum"])
            .Node("GlobalAveragePool", ["sum"], ["gap"])
            .Node("Flatten", ["gap"], ["flat"], ("axis", 1))
            .Node("Gemm", ["flat", "w4", "b4"], ["logits"], ("transB", 1));
        return b.Build().ToByteArray();
    }

    public static Model Load(OnnxImportOptions? options = null) => OnnxModel.Load(Bytes(), "small-cnn.onnx", options);
}
