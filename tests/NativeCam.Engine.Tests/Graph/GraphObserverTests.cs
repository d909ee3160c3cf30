using NativeCam.Engine.Graph;
using static NativeCam.Engine.Tests.GradCheckAssert;

namespace NativeCam.Engine.Tests.Graph;

public class GraphObserverTests
{
    private sealed class Recorder : IGraphObserver
    {
        public List<string> Events { get; } = [];

        public void NodeStarted(GraphNode node, IReadOnlyList<Tensor?> inputs) =>
            Events.Add($"start {node.Name} {string.Join(",", inputs.Select(t => t is null ? "-" : t.ToArray()[0].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}");

        public void NodeFinished(GraphNode node, IReadOnlyList<Tensor> outputs) =>
            Events.Add($"end {node.Name} {string.Join(",", outputs.Select(t => t.ToArray()[0].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    /// <summary>x → a = 2x → b = a + x, and an unneeded u = −x.</summary>
    private static ComputeGraph Build() => new(["x"], new Dictionary<string, Tensor>(),
    [
        new GraphNode("double", "Mul", ["x"], ["a"], v => [v[0]! * 2]),
        new GraphNode("unused", "Neg", ["x"], ["u"], v => [-v[0]!]),
        new GraphNode("add", "Add", ["a", "", "x"], ["b"], v => [v[0]! + v[2]!]),
    ], ["b"]);

    [Fact]
    public void SeesEveryRunNodeWithItsInputsAndOutputsInOrder()
    {
        var ex = new GraphExecutor(Build());
        var recorder = new Recorder();
        ex.Observer = recorder;
        var x = Tensor.FromArray(new[] { 1.5 }, [1]);
        var b = ex.Evaluate(new Dictionary<string, Tensor> { ["x"] = x }, ["b"])["b"];
        Close([4.5], b.ToArray(), 0, 0);
        Assert.Equal(["start double 1.5", "end double 3", "start add 3,-,1.5", "end add 4.5"], recorder.Events);

        // a given intermediate cuts the graph: only the downstream node is seen
        recorder.Events.Clear();
        ex.Evaluate(new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray(new[] { 10.0 }, [1]), ["x"] = x }, ["b"]);
        Assert.Equal(["start add 10,-,1.5", "end add 11.5"], recorder.Events);

        // removed: nothing is seen
        ex.Observer = null;
        recorder.Events.Clear();
        ex.Evaluate(new Dictionary<string, Tensor> { ["x"] = x }, ["b"]);
        Assert.Empty(recorder.Events);
    }
}
