using Google.Protobuf;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Shapley;

/// <summary>
/// A random-weight model whose head is exactly quadratic in the target: x (3×6×6) → Conv 1×1 (3→5) "t" (the
/// target); p = Conv 1×1 (5→4) of t, q = Conv 1×1 (5→4) of t; Mul(p, q) + p → GlobalAveragePool → Flatten → Gemm
/// (4→3) "logits". With the logit utility the channel game has only pairwise interactions, and ShapleyCAM's
/// second-order expansion is the game itself.
/// </summary>
public static class QuadraticHead
{
    public const string Target = "t";

    public static Model Load(OnnxImportOptions? options = null)
    {
        var rng = new Random(21);
        float[] R(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((2 * rng.NextDouble() - 1) * scale)).ToArray();
        var b = new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", 1, 3, 6, 6)
            .Output("logits")
            .Initializer("w0", R(5 * 3, 0.8), 5, 3, 1, 1).Initializer("b0", R(5, 0.2), 5)
            .Initializer("wp", R(4 * 5, 0.7), 4, 5, 1, 1).Initializer("bp", R(4, 0.2), 4)
            .Initializer("wq", R(4 * 5, 0.7), 4, 5, 1, 1).Initializer("bq", R(4, 0.2), 4)
            .Initializer("wf", R(3 * 4, 1.0), 3, 4).Initializer("bf", R(3, 0.1), 3)
            .Node("Conv", ["x", "w0", "b0"], ["t"], ("kernel_shape", new[] { 1, 1 }))
            .Node("Conv", ["t", "wp", "bp"], ["p"], ("kernel_shape", new[] { 1, 1 }))
            .Node("Conv", ["t", "wq", "bq"], ["q"], ("kernel_shape", new[] { 1, 1 }))
            .Node("Mul", ["p", "q"], ["pq"])
            .Node("Add", ["pq", "p"], ["s"])
            .Node("GlobalAveragePool", ["s"], ["gap"])
            .Node("Flatten", ["gap"], ["flat"], ("axis", 1))
            .Node("Gemm", ["flat", "wf", "bf"], ["logits"], ("transB", 1));
        return OnnxModel.Load(b.Build().ToByteArray(), "quadratic-head.onnx", options);
    }
}
