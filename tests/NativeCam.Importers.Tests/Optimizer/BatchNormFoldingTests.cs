using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using static NativeCam.Importers.Tests.Optimizer.OptimizerCheck;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>BatchNormalization folded into the Conv before it: same values and signals in float64.</summary>
public class BatchNormFoldingTests
{
    private static float[] Seeded(int n, int seed, float lo = -1, float hi = 1)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * (float)r.NextDouble()).ToArray();
    }

    /// <summary>x → Conv (3→4, 3×3, bias optional) → BN → Relu → GlobalAveragePool → Flatten → Gemm → logits.</summary>
    private static string Model(bool bias, int opset = 17)
    {
        var b = new OnnxGraphBuilder(opset).Input("x", 1, 3, 6, 6).Output("logits")
            .Initializer("w", Seeded(4 * 3 * 9, 1), 4, 3, 3, 3)
            .Initializer("gamma", Seeded(4, 2, 0.5f, 2), 4)
            .Initializer("beta", Seeded(4, 3), 4)
            .Initializer("mean", Seeded(4, 4), 4)
            .Initializer("var", Seeded(4, 5, 0.1f, 2), 4)
            .Initializer("fc", Seeded(5 * 4, 6), 5, 4);
        if (bias) b.Initializer("b", Seeded(4, 7), 4);
        return b.Node("Conv", bias ? ["x", "w", "b"] : ["x", "w"], ["c"], ("pads", new[] { 1, 1, 1, 1 }))
            .Node("BatchNormalization", ["c", "gamma", "beta", "mean", "var"], ["n"], ("epsilon", 1e-3f))
            .Node("Relu", ["n"], ["r"])
            .Node("GlobalAveragePool", ["r"], ["p"])
            .Node("Flatten", ["p"], ["f"])
            .Node("Gemm", ["f", "fc"], ["logits"], ("transB", 1))
            .Save();
    }

    [Theory]
    [InlineData(true, 17)]
    [InlineData(false, 17)]
    [InlineData(true, 8)]
    public void FoldsWithTheSameValuesAndSignals(bool bias, int opset)
    {
        var path = Model(bias, opset);
        var (plain, optimized, rewrites) = Load(path, ["batchnorm-into-conv"]);
        Assert.Equal(1, rewrites["batchnorm-into-conv"]);
        Assert.Equal(0, Count(optimized, "BatchNormalization"));
        Assert.Equal(["BatchNormalization"], [optimized.Producers["n"]]);
        Assert.Equal(plain.TensorShapes["c"], optimized.TensorShapes["c"]);
        Assert.False(optimized.Graph.Defines("c"));
        SameOutputs(plain, optimized);
        SameSignals(plain, optimized, "n");
    }

    [Fact]
    public void AKeptConvOutputBlocksTheFold()
    {
        var path = Model(true);
        var o = new OnnxImportOptions { DType = Kernels.DType.Float64 };
        var plain = OnnxModel.Load(path, o with { Optimize = false });
        var optimized = OnnxModel.Load(path, o with { KeepTensors = ["c"] });
        Assert.Equal(1, Count(optimized, "BatchNormalization"));
        Assert.Equal(0, Count(OnnxModel.Load(path, o), "BatchNormalization"));
        SameSignals(plain, optimized, "c");
        SameSignals(plain, OnnxModel.Load(path, o).WithKept(["c"]), "c");
    }

    /// <summary>The ML.NET ResNet-18 featurizer: 20 BatchNormalization nodes after convolutions, unfolded in the file.</summary>
    [Fact]
    public void ResNet18FeaturizerFoldsEveryBatchNormAfterAConv()
    {
        var path = ResNet18FeaturizerTests.ModelPath();
        var (plain, optimized, rewrites) = Load(path, ["batchnorm-into-conv"]);
        int convBn = plain.Graph.Nodes.Count(n => n.OpType == "BatchNormalization");
        Assert.True(rewrites["batchnorm-into-conv"] >= 20, $"{rewrites["batchnorm-into-conv"]} folds");
        Assert.Equal(convBn - rewrites["batchnorm-into-conv"], Count(optimized, "BatchNormalization"));
        SameOutputs(plain, optimized);

        // then every pass: the folded convolutions also take their ReLUs and residual adds
        var (_, all, _) = Load(path, null);
        Assert.True(all.Graph.Nodes.Count < optimized.Graph.Nodes.Count);
        Assert.Equal(0, Count(all, "Relu") + Count(all, "Add"));
        SameOutputs(plain, all);
    }
}
