using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Onnx;

namespace NativeCam.Importers.Tests.BadInput;

/// <summary>Graph-level rules: definitions, cycles, names, unknown ops, outputs.</summary>
public class GraphStructureTests
{
    private static OnnxGraphBuilder X() => new OnnxGraphBuilder(13).Input("x", 1, 3, 8, 8);

    [Fact]
    public void Cycle()
    {
        var path = X().Node("Add", ["x", "b"], ["a"]).Node("Relu", ["a"], ["b"]).Output("b").Save("cycle.onnx");
        BadModel.Fails<OnnxValidationException>(path, "cycle", "node", "'a'");
    }

    [Fact]
    public void SelfLoop()
    {
        var path = X().Node("Add", ["x", "a"], ["a"]).Output("a").Save("selfloop.onnx");
        var e = BadModel.Fails<OnnxValidationException>(path, "cycle", "node 0", "Add_0");
        Assert.Equal("Add", e.OpType);
    }

    [Fact]
    public void UndefinedInput()
    {
        var path = X().Node("Relu", ["x"], ["a"]).Node("Add", ["a", "ghost"], ["y"]).Output("y").Save("undefined.onnx");
        var e = BadModel.Fails<OnnxValidationException>(path, "node 1", "Add_1", "(Add)", "'ghost'", "not defined");
        Assert.Equal(1, e.NodeIndex);
        Assert.Equal("ghost", e.TensorName);
    }

    [Fact]
    public void DuplicateOutputs()
    {
        var path = X().Node("Relu", ["x"], ["a"]).Node("Sigmoid", ["x"], ["a"]).Node("Add", ["a", "a"], ["y"]).Output("y").Save("dupout.onnx");
        BadModel.Fails<OnnxValidationException>(path, "node 1", "Sigmoid", "'a'", "already defined");
    }

    [Fact]
    public void NodeOutputShadowsAnInitializer()
    {
        var path = X().Initializer("w", [1f], 1).Node("Relu", ["x"], ["w"]).Node("Add", ["x", "w"], ["y"]).Output("y").Save("shadow.onnx");
        BadModel.Fails<OnnxValidationException>(path, "node 0", "'w'", "already defined");
    }

    [Fact]
    public void NodeOutputShadowsTheInput()
    {
        var path = X().Node("Relu", ["x"], ["x"]).Output("x").Save("shadowinput.onnx");
        BadModel.Fails<OnnxValidationException>(path, "node 0", "'x'", "already defined");
    }

    [Fact]
    public void UnknownOp()
    {
        var path = X().Node("Relu", ["x"], ["a"]).Node("FrobnicateV2", ["a"], ["y"]).Output("y").Save("unknownop.onnx");
        var e = BadModel.Fails<OnnxUnsupportedException>(path, "'FrobnicateV2'", "ai.onnx", "opset 13", "node 1", "FrobnicateV2_1");
        Assert.Equal("FrobnicateV2", e.OpType);
    }

    [Fact]
    public void UnknownOpInAnImportedCustomDomain()
    {
        var path = X().Node("Gizmo", "com.microsoft", ["x"], ["y"]).Output("y").Save("customop.onnx");
        BadModel.Fails<OnnxUnsupportedException>(path, "'Gizmo'", "com.microsoft", "opset 1", "node 0");
    }

    [Fact]
    public void DomainNotImported()
    {
        var path = X().Node("Relu", "org.example", ["x"], ["y"]).Output("y").Save("domain.onnx");
        BadModel.Fails<OnnxUnsupportedException>(path, "domain 'org.example'", "node 0", "Relu");
    }

    [Fact]
    public void InitializerAndInputNameClash()
    {
        // the only graph input also has an initializer: no input is left for the image
        var path = X().Initializer("x", new float[3 * 64], 1, 3, 8, 8).Node("Relu", ["x"], ["y"]).Output("y").Save("clash.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'x'", "initializer of the same name");
    }

    [Fact]
    public void InitializerAndInputDeclaredShapeDisagree()
    {
        // IR 3 lists initializers among the inputs; a declared shape that differs from the data is an error
        var path = X().Input("b", 1, 3, 1, 1).Initializer("b", new float[4], 4).Node("Add", ["x", "b"], ["y"]).Output("y").Save("declared.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'b'", "declared shape");
    }

    [Fact]
    public void InitializersListedAsInputsLoad()
    {
        // valid IR 3 layout (as CNTK and older exporters write it): every initializer is also a graph input
        var b = BadModel.ConvRelu(8, 3);
        b.Input("w", 4, 3, 3, 3);
        var path = b.Save("ir3.onnx");
        OrtPeer.AssertMatches(path, [1, 3, 8, 8]);
    }

    [Fact]
    public void TwoDataInputs()
    {
        var path = X().Input("z", 1, 3, 8, 8).Node("Add", ["x", "z"], ["y"]).Output("y").Save("twoinputs.onnx");
        BadModel.Fails<OnnxUnsupportedException>(path, "2 data inputs", "x", "z");
    }

    [Fact]
    public void DuplicateGraphInput()
    {
        var path = X().Input("x", 1, 3, 8, 8).Node("Relu", ["x"], ["y"]).Output("y").Save("dupinput.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'x'", "twice");
    }

    [Fact]
    public void NodeWithoutOutputs()
    {
        var path = X().Node("Relu", ["x"], []).Node("Relu", ["x"], ["y"]).Output("y").Save("nooutput.onnx");
        BadModel.Fails<OnnxValidationException>(path, "node 0", "Relu", "no outputs");
    }

    [Fact]
    public void GraphOutputNeverProduced()
    {
        var path = X().Node("Relu", ["x"], ["a"]).Output("nowhere").Save("noproducer.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'nowhere'", "never produced");
    }

    [Fact]
    public void GraphOutputListedTwice()
    {
        var path = X().Node("Relu", ["x"], ["y"]).Output("y").Output("y").Save("dupgraphout.onnx");
        BadModel.Fails<OnnxValidationException>(path, "tensor 'y'", "twice");
    }

    [Fact]
    public void NoGraphOutputs()
    {
        var path = X().Node("Relu", ["x"], ["y"]).Save("nooutputs.onnx");
        BadModel.Fails<OnnxValidationException>(path, "no outputs");
    }

    [Fact]
    public void ReshapeToATrillionElements()
    {
        var path = X().Initializer("s", [1_000_000L, 1_000_000L], 2).Node("Reshape", ["x", "s"], ["y"]).Output("y").Save("reshape.onnx");
        long before = GC.GetAllocatedBytesForCurrentThread();
        BadModel.Fails<OnnxValidationException>(path, "node 0", "Reshape", "1000000000000", "limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000);
    }

    [Theory]
    [InlineData("Expand")]
    [InlineData("Tile")]
    [InlineData("ConstantOfShape")]
    [InlineData("Range")]
    public void GeneratorOpsStopAtTheLimitBeforeAllocating(string op)
    {
        var b = X();
        switch (op)
        {
            case "Expand": b.Initializer("s", [1_000_000L, 1_000_000L, 3, 8, 8], 5).Node(op, ["x", "s"], ["y"]); break;
            case "Tile": b.Initializer("s", [1L, 1, 1_000_000, 1_000_000], 4).Node(op, ["x", "s"], ["y"]); break;
            case "ConstantOfShape": b.Initializer("s", [1_000_000L, 1_000_000L], 2).Node(op, ["s"], ["y"]); break;
            default:
                b.Initializer("a", [0L], []).Initializer("l", [1_000_000_000_000L], []).Initializer("d", [1L], []).Node(op, ["a", "l", "d"], ["y"]);
                break;
        }
        var path = b.Node("Identity", ["y"], ["z"]).Output("z").Save($"{op.ToLowerInvariant()}.onnx");
        long before = GC.GetAllocatedBytesForCurrentThread();
        BadModel.Fails<OnnxValidationException>(path, "node 0", op, "limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000);
    }

    [Fact]
    public void ReshapeTargetOverflowingLong()
    {
        var path = X().Initializer("s", [1L << 40, 1L << 40, 1L << 40], 3).Node("Reshape", ["x", "s"], ["y"]).Output("y").Save("reshape-overflow.onnx");
        BadModel.Fails<OnnxValidationException>(path, "node 0", "Reshape");
    }

    [Fact]
    public void HugeInitializerDimFailsBeforeAllocating()
    {
        var t = BadModel.Tensor([1_000_000, 1_000_000], new byte[4]);
        var path = BadModel.Write(BadModel.WithInitializer(t), "hugeinit.onnx");
        long before = GC.GetAllocatedBytesForCurrentThread();
        BadModel.Fails<OnnxValidationException>(path, "tensor 't'", "limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000);
    }

    [Fact]
    public void ErrorCarriesStructuredLocation()
    {
        var path = X().Node("Relu", ["x"], ["a"]).Node("Bogus", ["a"], ["y"]).Output("y").Save("structured.onnx");
        var e = BadModel.Fails<OnnxUnsupportedException>(path);
        Assert.Equal(path, e.File);
        Assert.Equal(1, e.NodeIndex);
        Assert.Equal("Bogus_1", e.NodeName);
        Assert.StartsWith("structured.onnx: node 1 'Bogus_1' (Bogus): ", e.Message);
    }
}
