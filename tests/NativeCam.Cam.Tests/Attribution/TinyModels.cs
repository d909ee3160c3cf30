using Google.Protobuf;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Kernels;

namespace NativeCam.Cam.Tests.Attribution;

/// <summary>Small models for the attribution tests, imported in float64 so finite differences are accurate.</summary>
public static class TinyModels
{
    public const int Classes = 4;

    /// <summary>The weights of <see cref="Linear"/>: W [4, 3·8·8] row-major, b [4].</summary>
    public static (double[] W, double[] B) LinearWeights()
    {
        var rng = new Random(5);
        var w = Enumerable.Range(0, Classes * 192).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var b = Enumerable.Range(0, Classes).Select(_ => rng.NextDouble() - 0.5).ToArray();
        return (w, b);
    }

    /// <summary>x [1, 3, 8, 8] → Flatten → Gemm (transB) → logits [1, 4]: u = W_c·x + b_c.</summary>
    public static Model Linear()
    {
        var (w, b) = LinearWeights();
        var bytes = new OnnxGraphBuilder(opset: 13, irVersion: 7)
            .Input("x", 1, 3, 8, 8)
            .Output("logits")
            .Initializer("w", w.Select(v => (float)v).ToArray(), Classes, 192).Initializer("b", b.Select(v => (float)v).ToArray(), Classes)
            .Node("Flatten", ["x"], ["flat"], ("axis", 1))
            .Node("Gemm", ["flat", "w", "b"], ["logits"], ("transB", 1))
            .Build().ToByteArray();
        return OnnxModel.Load(bytes, "linear.onnx", new OnnxImportOptions { DType = DType.Float64 });
    }

    /// <summary>The small CNN of the method tests (3×16×16 → 4 classes), in float64.</summary>
    public static Model SmallCnn64() => Methods.SmallCnn.Load(new OnnxImportOptions { DType = DType.Float64 });
}
