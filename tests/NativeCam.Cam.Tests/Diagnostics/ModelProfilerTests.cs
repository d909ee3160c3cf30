using System.Text.Json;
using NativeCam.Cam.Diagnostics;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Kernels.Cpu;
using NativeCam.Kernels.Gpu;

namespace NativeCam.Cam.Tests.Diagnostics;

public class ModelProfilerTests
{
    private static readonly Lazy<(Model Model, ModelProfile Profile)> Resnet = new(() =>
    {
        var model = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"), new OnnxImportOptions { Backend = new CpuKernels(threads: 1) });
        return (model, ModelProfiler.Run(model, new ProfileOptions(Runs: 5, Warmup: 3, PeakSeconds: 0.05)));
    });

    /// <summary>The nodes the output needs, computed here by walking back from the output over producers.</summary>
    private static HashSet<string> NeededNodes(ComputeGraph g, IEnumerable<string> outputs, ISet<string> known)
    {
        var needed = new HashSet<string>();
        var stack = new Stack<string>(outputs);
        while (stack.Count > 0)
        {
            var t = stack.Pop();
            if (known.Contains(t) || g.Constants.ContainsKey(t) || g.Inputs.Contains(t)) continue;
            var node = g.Nodes[g.ProducerOf(t)];
            if (!needed.Add(node.Name)) continue;
            foreach (var i in node.Inputs) if (i.Length > 0) stack.Push(i);
        }
        return needed;
    }

    [Fact]
    public void ForwardCoversEveryNodeOfThePlanWithPositiveTimesThatSumToTheTotal()
    {
        var (model, p) = Resnet.Value;
        var expected = NeededNodes(model.Graph, [model.OutputName], new HashSet<string>());
        Assert.Equal(expected.Order(), p.Forward.Nodes.Select(n => n.Name).Order());
        Assert.All(p.Forward.Nodes, n => Assert.True(n.MeanMs > 0, $"{n.Name}: {n.MeanMs} ms"));
        Assert.Equal(p.Forward.TotalMs, p.Forward.NodesMs + p.Forward.UnattributedMs, 1e-9);
        // the nodes run inside the timed pass: their sum cannot exceed it; the executor's bookkeeping between nodes is a
        // minor part even of this 3 ms model (a loose bound: on a loaded machine the thread may be descheduled between nodes)
        Assert.True(p.Forward.NodesMs <= p.Forward.TotalMs && p.Forward.NodesMs >= 0.25 * p.Forward.TotalMs,
            $"nodes {p.Forward.NodesMs} ms of {p.Forward.TotalMs} ms");
        Assert.Equal(p.Forward.NodesMs / p.Forward.TotalMs, p.Forward.Nodes.Sum(n => n.Share), 1e-9);
        Assert.True(p.Forward.Nodes.Zip(p.Forward.Nodes.Skip(1)).All(x => x.First.MeanMs >= x.Second.MeanMs), "sorted slowest first");
        Assert.True(p.PeakGflops > 0);
    }

    [Fact]
    public void ABatchThatRunsInPartsIsTimedOnThePartsBuilds()
    {
        var model = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"), new OnnxImportOptions { Backend = new CpuKernels(threads: 1) });
        int part = model.ForBatch(1024).BatchPartSize; // the cache-sized part of this model's items
        Assert.InRange(part, 1, 1023);
        var batch = model.ForBatch(part + 1);           // a full part and one item
        Assert.Equal(part, batch.BatchPartSize);
        Assert.Equal([part, 1], batch.ForwardBuilds().Select(b => b.BatchSize));
        var p = ModelProfiler.Run(batch, new ProfileOptions(Runs: 2, Warmup: 1, PeakSeconds: 0.05));
        Assert.Contains($"runs in parts of {part}", p.Forward.Note);
        var expected = NeededNodes(batch.Graph, [batch.OutputName], new HashSet<string>());
        Assert.Equal(expected.Order(), p.Forward.Nodes.Select(n => n.Name).Order()); // each node once, both parts summed
        Assert.All(p.Forward.Nodes, n => Assert.True(n.MeanMs > 0, $"{n.Name}: {n.MeanMs} ms"));
        Assert.True(p.Forward.NodesMs <= p.Forward.TotalMs, $"nodes {p.Forward.NodesMs} ms of {p.Forward.TotalMs} ms");
    }

    [Fact]
    public void FlopsPerNodeAgreeWithModelFlopsAndWithTheConvShapes()
    {
        var (model, p) = Resnet.Value;
        var layers = ModelFlops.Layers(model);
        Assert.Equal(2.0 * ModelFlops.MultiplyAdds(model), p.Forward.Nodes.Sum(n => n.Flops));
        foreach (var l in layers)
            Assert.Equal(2.0 * l.MultiplyAdds, p.Forward.Nodes.Single(n => n.Name == l.Node).Flops);
        // independently: Conv = 2 × output elements × (weight elements / output channels), from the recorded shapes
        var convs = p.Forward.Nodes.Where(n => n.Op == "Conv").ToList();
        Assert.NotEmpty(convs);
        foreach (var n in convs)
        {
            var w = n.InputShapes[1]!;
            double k = w.Aggregate(1L, (a, d) => a * d) / w[0];
            Assert.Equal(2.0 * n.OutputShapes[0].Aggregate(1L, (a, d) => a * d) * k, n.Flops);
            Assert.Equal(n.Flops / (n.MeanMs * 1e-3) / 1e9, n.Gflops, 1e-9 * n.Gflops);
            Assert.Equal(100 * n.Gflops / p.PeakGflops, n.PercentOfPeak, 1e-9 * n.PercentOfPeak);
        }
        Assert.All(p.Forward.Nodes.Where(n => n.Op is "Relu" or "Add" or "MaxPool"), n => Assert.Equal(0, n.Flops));
    }

    [Fact]
    public void BytesMovedAreInputsWeightsAndOutputs()
    {
        var (model, p) = Resnet.Value;
        foreach (var n in p.Forward.Nodes)
        {
            var node = model.Graph.Nodes.Single(x => x.Name == n.Name);
            long Elements(int[]? s) => s is null ? 0 : s.Aggregate(1L, (a, d) => a * d);
            long weights = node.Inputs.Where(model.Graph.Constants.ContainsKey).Sum(i => model.Graph.Constants[i].Length) * 4;
            long all = n.InputShapes.Sum(Elements) * 4 + n.OutputShapes.Sum(Elements) * 4;
            Assert.Equal(weights, n.WeightBytes);
            Assert.Equal(all, n.BytesMoved);
        }
    }

    [Fact]
    public void HeadSweepTimesTheHeadsNodesAndTheRestAsOneLine()
    {
        var (model, p) = Resnet.Value;
        var sides = model.Graph.SideInputs([p.Layer], [model.OutputName]);
        var expected = NeededNodes(model.Graph, [model.OutputName], new HashSet<string>(sides.Append(p.Layer)));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), p.HeadSweep.Nodes.Select(n => n.Name).Order());
        Assert.All(p.HeadSweep.Nodes, n => Assert.True(n.MeanMs > 0));
        Assert.True(p.HeadSweep.UnattributedMs > 0, "the reverse sweep takes time");
        Assert.Equal(p.HeadSweep.TotalMs, p.HeadSweep.NodesMs + p.HeadSweep.UnattributedMs, 1e-9);
        Assert.Contains("reverse sweep", p.HeadSweep.UnattributedLabel);
    }

    [Fact]
    public void TraceParsesWithOneCompleteEventPerNode()
    {
        var (_, p) = Resnet.Value;
        var stream = new MemoryStream();
        ChromeTrace.Write(stream, p, "test");
        using var doc = JsonDocument.Parse(stream.ToArray());
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        List<JsonElement> Complete(int tid) => events.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("tid").GetInt32() == tid).ToList();

        var forward = Complete(ChromeTrace.ForwardThread);
        Assert.Equal(p.Forward.Nodes.Select(n => n.Name).Order(), forward.Select(e => e.GetProperty("name").GetString()!).Order());
        double previousEnd = 0;
        foreach (var e in forward)
        {
            double ts = e.GetProperty("ts").GetDouble(), dur = e.GetProperty("dur").GetDouble();
            Assert.True(ts >= previousEnd && dur > 0, "node events follow each other without overlap");
            previousEnd = ts + dur;
            var node = p.Forward.Nodes.Single(n => n.Name == e.GetProperty("name").GetString());
            Assert.Equal(node.Op, e.GetProperty("cat").GetString());
            Assert.Equal($"[{string.Join("x", node.OutputShapes[0])}]", e.GetProperty("args").GetProperty("outputs").GetString());
        }
        var head = Complete(ChromeTrace.HeadSweepThread);
        Assert.Equal(p.HeadSweep.Nodes.Count + 1, head.Count);
        Assert.Equal("backward", head[^1].GetProperty("cat").GetString());
        Assert.True(head[0].GetProperty("ts").GetDouble() >= previousEnd, "the head sweep ran after the forward pass");
    }

    [Fact]
    public void OnlyTheCpuBackend()
    {
        using var k = IlgpuKernels.CreateCpu();
        var model = OnnxModel.Load(RepoPaths.Fixture("resnet18.onnx"), new OnnxImportOptions { Backend = k });
        Assert.Throws<NotSupportedException>(() => ModelProfiler.Run(model, new ProfileOptions(Runs: 1, Warmup: 0)));
    }

    [Fact]
    public void FmaPeakIsPositiveAndRejectsZeroThreads()
    {
        Assert.True(FmaPeak.Measure(1, 0.01) > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => FmaPeak.Measure(0));
    }
}
