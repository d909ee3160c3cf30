using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Graph;

public class GraphExecutorTests
{
    private int _upstreamRuns;

    /// <summary>x → a = x·w → b = exp(a) → c = b + a (a residual) → out = Σ c·c.</summary>
    private ComputeGraph Build()
    {
        var w = Rand([3], 7);
        GraphNode N(string name, string[] ins, string outName, Func<Tensor?[], Tensor> f) => new(name, "T", ins, [outName], a => [f(a)]);
        return new ComputeGraph(["x"], new Dictionary<string, Tensor> { ["w"] = w },
        [
            // deliberately out of order: the graph sorts itself
            N("n4", ["c"], "out", a => (a[0]! * a[0]!).Sum()),
            N("n1", ["x", "w"], "a", a => { _upstreamRuns++; return a[0]! * a[1]!; }),
            N("n3", ["b", "a"], "c", a => a[0]! + a[1]!),
            N("n2", ["a"], "b", a => a[0]!.Exp()),
        ], ["out"]);
    }

    private static Tensor Direct(Tensor x, Tensor w) { var a = x * w; var c = a.Exp() + a; return (c * c).Sum(); }

    [Fact]
    public void RunsInTopologicalOrderAndReturnsOutputsAndIntermediates()
    {
        var g = Build();
        Assert.Equal(["n1", "n2", "n3", "n4"], g.Nodes.Select(n => n.Name));
        var x = Rand([3], 1);
        var ex = new GraphExecutor(g);
        var r = ex.Evaluate(new Dictionary<string, Tensor> { ["x"] = x }, ["out", "b"]);
        Close(Direct(x, g.Constants["w"]).ToArray(), r["out"].ToArray(), 1e-15, 0);
        Close((x * g.Constants["w"]).Exp().ToArray(), r["b"].ToArray(), 1e-15, 0);
    }

    [Fact]
    public void GivenIntermediateCutsTheGraphAndCarriesDuals()
    {
        var g = Build();
        var ex = new GraphExecutor(g);
        var x = Rand([3], 1);
        var a = ex.Evaluate(new Dictionary<string, Tensor> { ["x"] = x }, ["a"])["a"];
        Assert.Equal(["a"], g.SideInputs(["b"], ["out"])); // the residual reads a from outside b's downstream part
        Assert.Empty(g.SideInputs(["a"], ["out"]));
        _upstreamRuns = 0;

        // g and H·a of out(a) by forward-over-reverse through the head only
        Tensor Head(Tensor aa) => ex.Evaluate(new Dictionary<string, Tensor> { ["a"] = aa }, ["out"])["out"];
        var (grad, hv) = Ad.GradAndHvp(Head, a, a);
        Assert.Equal(0, _upstreamRuns);

        // closed form: out = Σ (eᵃ + a)², ∂/∂a = 2(eᵃ + a)(eᵃ + 1), ∂² = 2(eᵃ + 1)² + 2(eᵃ + a)eᵃ
        var av = a.ToArray();
        var eg = av.Select(t => 2 * (Math.Exp(t) + t) * (Math.Exp(t) + 1)).ToArray();
        var eh = av.Select(t => (2 * Math.Pow(Math.Exp(t) + 1, 2) + 2 * (Math.Exp(t) + t) * Math.Exp(t)) * t).ToArray();
        Close(eg, grad.ToArray(), 1e-13, 1e-13);
        Close(eh, hv.ToArray(), 1e-13, 1e-13);
    }

    [Fact]
    public void WholeGraphPassesGradientChecks()
    {
        var ex = new GraphExecutor(Build());
        Passes(x => ex.Evaluate(new Dictionary<string, Tensor> { ["x"] = x }, ["out"])["out"], Rand([3], 2));
    }

    [Fact]
    public void MalformedGraphsAreRejectedWithNames()
    {
        static GraphNode N(string name, string[] ins, string[] outs) => new(name, "T", ins, outs, a => [a[0]!]);
        var none = new Dictionary<string, Tensor>();
        var cycle = Assert.Throws<GraphException>(() => new ComputeGraph(["x"], none, [N("p", ["x", "q1"], ["p1"]), N("q", ["p1"], ["q1"])], ["q1"]));
        Assert.Contains("cycle", cycle.Message);
        var undefined = Assert.Throws<GraphException>(() => new ComputeGraph(["x"], none, [N("p", ["y"], ["p1"])], ["p1"]));
        Assert.Equal("y", undefined.TensorName);
        Assert.Contains("'p'", undefined.Message);
        var twice = Assert.Throws<GraphException>(() => new ComputeGraph(["x"], none, [N("p", ["x"], ["z"]), N("q", ["x"], ["z"])], ["z"]));
        Assert.Equal("z", twice.TensorName);
        var ex = new GraphExecutor(new ComputeGraph(["x"], none, [N("p", ["x"], ["z"])], ["z"]));
        Assert.Throws<GraphException>(() => ex.Evaluate(new Dictionary<string, Tensor>(), ["nope"]));
        var missing = Assert.Throws<GraphException>(() => ex.Evaluate(new Dictionary<string, Tensor>(), ["z"]));
        Assert.Equal("x", missing.TensorName);
    }

    [Fact]
    public void NodeFailureNamesTheNode()
    {
        var g = new ComputeGraph(["x"], new Dictionary<string, Tensor>(),
            [new GraphNode("bad", "Boom", ["x"], ["y"], _ => throw new InvalidOperationException("kaput"))], ["y"]);
        var e = Assert.Throws<GraphException>(() => new GraphExecutor(g).Run(new Dictionary<string, Tensor> { ["x"] = Rand([1], 1) }));
        Assert.Equal("bad", e.NodeName);
        Assert.Contains("kaput", e.Message);
    }
}
