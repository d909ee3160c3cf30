using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Kernels.Cpu;
using Xunit.Abstractions;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Memory;

/// <summary>
/// The run that records a request's memory plan reuses dead activations' memory as the planned runs do, so even the
/// first pass holds about the plan's blocks, not every activation of the graph.
/// </summary>
public class PlanRecordingTests(ITestOutputHelper output)
{
    /// <summary>MobileNetV2, the fixture with the most activation memory (the others are too small for the
    /// executor's own allocations not to dominate).</summary>
    [Fact]
    public void TheFirstPassAllocatesLessThanEveryActivationAfresh()
    {
        const string name = "mobilenet_v2";
        var model = FixtureModels.Load(name, new OnnxImportOptions { Backend = new CpuKernels(threads: 1) }).ForBatch(16);
        var input = Tensor.Uniform(model.InputShape, 2, -2, 2, backend: model.Backend);
        var given = new Dictionary<string, Tensor> { [model.InputName] = input };

        // the executor runs the whole batch (Model.Run would run a batch of large items in parts)
        var output1 = new[] { model.OutputName };
        long before = GC.GetAllocatedBytesForCurrentThread();
        var expected = model.Executor.Evaluate(given, output1)[model.OutputName].ToArray();
        long first = GC.GetAllocatedBytesForCurrentThread() - before;

        var (blocks, peakLive) = model.Executor.PlanSizes(given, [model.OutputName]);
        long activations = 4 * model.Graph.Nodes.SelectMany(n => n.Outputs).Where(o => o.Length > 0)
            .Sum(o => model.TensorShapes[o].Aggregate(1L, (p, d) => p * d));
        output.WriteLine($"{name} batch 16: first pass allocated {first / 1e6:F2} MB; plan blocks {4 * blocks / 1e6:F2} MB, " +
            $"peak live {4 * peakLive / 1e6:F2} MB; all activations {activations / 1e6:F2} MB");
        Assert.InRange(peakLive, 1, blocks);
        Assert.True(4 * blocks < activations, "the plan's blocks are fewer than the graph's activations");
        // blocks serve tensors of any size up to their own: they add up to little more than the peak
        Assert.True(blocks <= 1.25 * peakLive, $"plan blocks {blocks} elements for a peak of {peakLive} alive at once");
        // the blocks, the result and the executor's bookkeeping: less than every activation allocated afresh
        Assert.True(first < activations, $"the first pass allocated {first} bytes");
        for (int i = 0; i < 2; i++) Assert.Equal(expected, model.Executor.Evaluate(given, output1)[model.OutputName].ToArray());
    }
}
