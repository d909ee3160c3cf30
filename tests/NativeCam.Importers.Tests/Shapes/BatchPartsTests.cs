using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Kernels.Cpu;
using Xunit.Abstractions;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Shapes;

/// <summary>
/// A plain CPU forward pass of a batch whose items are independent runs in parts (<see cref="Model.BatchPartSize"/>):
/// the importer says which graphs keep items apart (<see cref="Model.BatchCoupling"/>), and the parts give the values
/// of the whole batch run at once.
/// </summary>
public class BatchPartsTests(ITestOutputHelper output)
{
    private static readonly CpuKernels OneThread = new(threads: 1);

    /// <summary>Exports that write batch 1 into Reshape constants: they run at batch 1 only.</summary>
    private static readonly string[] FixedBatch = ["swin_t", "vit_b_16"];

    [Theory]
    [MemberData(nameof(ShapeInferenceTests.Models), MemberType = typeof(ShapeInferenceTests))]
    public void EveryConvolutionalFixtureKeepsItemsApartAndItsPartsGiveTheWholeBatchsValues(string name)
    {
        if (FixedBatch.Contains(name)) return; // no batch ≥ 2 build to judge
        var model = FixtureModels.Load(name, new OnnxImportOptions { Backend = OneThread });
        var batch = model.ForBatch(5);
        Assert.Null(batch.BatchCoupling);
        Assert.InRange(batch.BatchPartSize, 1, 5);
        output.WriteLine($"{name}: parts of {batch.BatchPartSize} at batch 5");

        // the same batch with a part size forced below it, against the whole batch run at once by the executor
        using var input = Tensor.Uniform(batch.InputShape, 3, -2, 2, backend: OneThread);
        var whole = batch.Executor.Evaluate(new Dictionary<string, Tensor> { [batch.InputName] = input }, [batch.OutputName])[batch.OutputName];
        var parts = batch.RunInParts(input, 2)[batch.OutputName];
        Assert.Equal(whole.Shape, parts.Shape);
        var (w, p) = (whole.ToArray(), parts.ToArray());
        double scale = w.Max(Math.Abs), worst = w.Zip(p, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5 * scale, $"{name}: parts differ from the whole batch by {worst:G3} (scale {scale:G3})");
    }

    [Fact]
    public void ABatchOfLargeItemsRunsInPartsWithTheWholeBatchsValues()
    {
        // 3 × 512 × 512 floats per item, read and written by each node: 6 MB, more than a part may hold
        var model = Load(new OnnxGraphBuilder(13).Input("x", 3, 3, 512, 512)
            .Node("Relu", ["x"], ["r"]).Node("Softmax", ["r"], ["y"], ("axis", 1)).Output("y"));
        Assert.Null(model.BatchCoupling);
        Assert.Equal(1, model.BatchPartSize);
        Assert.Equal(3, model.ForwardBuilds().Sum(b => b.BatchSize * (3 / b.BatchSize)));
        using var input = Tensor.Uniform(model.InputShape, 5, -2, 2, backend: OneThread);
        var whole = model.Executor.Evaluate(new Dictionary<string, Tensor> { ["x"] = input }, ["y"])["y"].ToArray();
        Assert.Equal(whole, model.Run(input).ToArray()); // elementwise ops: the same arithmetic in parts
    }

    [Fact]
    public void PartsHoldAnItemPerThread()
    {
        var graph = new OnnxGraphBuilder(13).Input("x", 4, 3, 512, 512).Node("Relu", ["x"], ["y"]).Output("y");
        var model = OnnxModel.Load(graph.Save("two-threads.onnx"), new OnnxImportOptions { Backend = new CpuKernels(threads: 2) });
        Assert.Equal(2, model.BatchPartSize); // 6 MB items would go one at a time on one thread
        using var input = Tensor.Uniform(model.InputShape, 5, -2, 2, backend: model.Backend);
        Assert.Equal(input.ToArray().Select(v => Math.Max(v, 0)), model.Run(input).ToArray());
    }

    [Fact]
    public void ACoupledBatchRunsWhole()
    {
        // softmax across the items: each result depends on every item
        var model = Load(new OnnxGraphBuilder(13).Input("x", 3, 3, 512, 512)
            .Node("Relu", ["x"], ["r"]).Node("Softmax", ["r"], ["y"], ("axis", 0)).Output("y"));
        Assert.Contains("Softmax", model.BatchCoupling);
        Assert.Equal(3, model.BatchPartSize);
        Assert.Same(model, Assert.Single(model.ForwardBuilds()));
        Assert.Null(model.ForBatch(1).BatchCoupling); // at batch 1 there is nothing to couple
        using var input = Tensor.Uniform(model.InputShape, 5, -2, 2, backend: OneThread);
        var y = model.Run(input).ToArray();
        var x = input.ToArray();
        int item = x.Length / 3;
        for (int i = 0; i < item; i += 9973) // the softmax over the three items sums to 1 at every position
            Assert.Equal(1.0, y[i] + y[i + item] + y[i + 2 * item], 5);
    }

    public static TheoryData<string, OnnxGraphBuilder, string?> Graphs() => new()
    {
        { "softmax over channels", Graph().Node("Softmax", ["x"], ["y"], ("axis", 1)), null },
        { "softmax over items", Graph().Node("Softmax", ["x"], ["y"], ("axis", 0)), "batch axis" },
        { "transpose keeping items first", Graph().Node("Transpose", ["x"], ["y"], ("perm", new[] { 0, 2, 1 })), null },
        { "transpose moving items", Graph(4, 4, 3).Node("Transpose", ["x"], ["y"], ("perm", new[] { 1, 0, 2 })), "moves the batch axis" },
        { "reshape keeping items", Graph().Initializer("s", new long[] { 0, -1 }, 2).Node("Reshape", ["x", "s"], ["y"]), null },
        { "reshape folding items", Graph().Initializer("s", new long[] { 1, -1 }, 2).Node("Reshape", ["x", "s"], ["y"]), "batch dimension" },
        { "add a row for all", Graph().Initializer("c", new float[6], 1, 2, 3).Node("Add", ["x", "c"], ["y"]), null },
        { "add a row per item", Graph().Initializer("c", new float[24], 4, 2, 3).Node("Add", ["x", "c"], ["y"]), "rows on the batch axis" },
        { "reduce over items", Graph().Node("ReduceMean", ["x"], ["y"], ("axes", new[] { 0 })), "batch" },
        { "reduce everything", Graph().Node("ReduceMean", ["x"], ["y"], ("keepdims", 0)), "batch dimension" },
        { "reduce over channels", Graph().Node("ReduceMean", ["x"], ["y"], ("axes", new[] { 1 })), null },
        { "items reversed", Graph().Initializer("b", new long[] { -1 }, 1).Initializer("e", new long[] { -5 }, 1).Initializer("a", new long[] { 0 }, 1)
            .Initializer("st", new long[] { -1 }, 1).Node("Slice", ["x", "b", "e", "a", "st"], ["y"]), "slices the batch axis" },
        { "slice of channels", Graph().Initializer("b", new long[] { 1 }, 1).Initializer("e", new long[] { 2 }, 1).Initializer("a", new long[] { 1 }, 1)
            .Node("Slice", ["x", "b", "e", "a"], ["y"]), null },
        { "gather of items", Graph().Initializer("i", new long[] { 0 }, 1).Node("Gather", ["x", "i"], ["y"], ("axis", 0)), "batch" },
        { "concat with a constant", Graph().Initializer("c", new float[24], 4, 2, 3).Node("Concat", ["x", "c"], ["y"], ("axis", 1)), "constant input" },
        { "gemm with items as rows", Graph(4, 6).Initializer("w", new float[18], 6, 3).Node("Gemm", ["x", "w"], ["y"]), null },
        { "gemm contracting items", Graph(4, 4).Initializer("w", new float[12], 4, 3).Node("Gemm", ["x", "w"], ["y"], ("transA", 1)), "contracted" },
        { "matmul contracting items", Graph(4, 6).Initializer("w", new float[16], 4, 4).Node("MatMul", ["w", "x"], ["y"]), "contracted" },
    };

    private static OnnxGraphBuilder Graph(params int[] shape) => new OnnxGraphBuilder(13).Input("x", shape.Length == 0 ? [4, 2, 3] : shape);

    [Theory]
    [MemberData(nameof(Graphs))]
    public void TheImporterSaysWhichGraphsCoupleItems(string what, OnnxGraphBuilder graph, string? rule)
    {
        var model = Load(graph.Output("y"));
        output.WriteLine($"{what}: {model.BatchCoupling ?? "items apart"}");
        if (rule is null) Assert.Null(model.BatchCoupling);
        else Assert.Contains(rule, model.BatchCoupling);
    }

    private static Model Load(OnnxGraphBuilder graph) =>
        OnnxModel.Load(graph.Save($"batch-parts-{Guid.NewGuid():N}.onnx"), new OnnxImportOptions { Backend = OneThread });
}
