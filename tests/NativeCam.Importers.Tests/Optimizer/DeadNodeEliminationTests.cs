using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using static NativeCam.Importers.Tests.Optimizer.OptimizerCheck;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>Dead-node elimination: branches no kept tensor needs are dropped, kept ones stay.</summary>
public class DeadNodeEliminationTests
{
    /// <summary>x → Relu → y (output), plus a dead Sigmoid → Exp branch and a dead node of an unknown op.</summary>
    private static string Model(bool unknownDeadOp)
    {
        var b = new OnnxGraphBuilder().Input("x", 1, 2, 3, 3).Output("y")
            .Node("Relu", ["x"], ["y"])
            .Node("Sigmoid", ["x"], ["s"])
            .Node("Exp", ["s"], ["e"]);
        if (unknownDeadOp) b.Node("NoSuchOp", ["x"], ["n"]);
        return b.Save();
    }

    [Fact]
    public void DropsWhatNoOutputNeeds()
    {
        var (plain, optimized, rewrites) = Load(Model(false), ["dead-nodes"]);
        Assert.Equal(2, rewrites["dead-nodes"]);
        Assert.Equal(3, plain.Graph.Nodes.Count);
        Assert.Equal(["Relu"], optimized.Graph.Nodes.Select(n => n.OpType));
        SameOutputs(plain, optimized, tol: 0);
    }

    [Fact]
    public void KeepsRequestedTensorsAndTheirInputs()
    {
        var (_, optimized, rewrites) = Load(Model(false), ["dead-nodes", "silu"], keep: ["s"]);
        Assert.Equal(1, rewrites["dead-nodes"]);
        Assert.True(optimized.Graph.Defines("s"));
        Assert.False(optimized.Graph.Defines("e"));
        // a request for the dead tensor imports a graph that keeps it
        var model = OnnxModel.Load(Model(false));
        Assert.False(model.Graph.Defines("e"));
        var x = NativeCam.Engine.Tensor.Uniform(model.InputShape, 1);
        var e = model.Run(x, "e")["e"].ToArray();
        var expected = x.ToArray().Select(v => (float)Math.Exp(1 / (1 + Math.Exp(-v)))).ToArray();
        for (int i = 0; i < e.Length; i++) Assert.Equal(expected[i], e[i], 5);
    }

    [Fact]
    public void AFoldedConstantIsNotARunTimeTensor()
    {
        var path = new OnnxGraphBuilder().Input("x", 1, 2, 3, 3).Output("y")
            .Initializer("k", [2f], 1)
            .Node("Neg", ["k"], ["nk"])
            .Node("Mul", ["x", "nk"], ["y"])
            .Save();
        var model = OnnxModel.Load(path);
        Assert.Same(model, model.WithKept(["nk", "no-such-tensor"]));
        var x = NativeCam.Engine.Tensor.Uniform(model.InputShape, 1);
        Assert.Throws<NativeCam.Engine.Graph.GraphException>(() => model.Run(x, "no-such-tensor"));
    }

    [Fact]
    public void AnUnknownOpStillFailsTheImport()
    {
        var e = Assert.Throws<OnnxUnsupportedException>(() => OnnxModel.Load(Model(true)));
        Assert.Contains("NoSuchOp", e.Message);
    }
}
