using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Kernels.Cpu;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Memory;

/// <summary>
/// Imported weights are held once: float32 initializers decode into the arrays their tensors use, the parsed file
/// lets go of their raw bytes, and builds for other batch sizes and other kept tensors reuse the same tensors.
/// </summary>
public class WeightSharingTests
{
    private const int C = 512;
    private const long WeightBytes = 4L * (C * 64 * 9 + C * C);

    /// <summary>Conv + Relu (fused, hiding the conv output "c1"), a 1×1 conv, global pooling: 2.2 MB of weights.</summary>
    private static string Model()
    {
        var r = new Random(3);
        float[] Seeded(int n) => Enumerable.Range(0, n).Select(_ => 0.1f * (2 * (float)r.NextDouble() - 1)).ToArray();
        return new OnnxGraphBuilder().Input("x", 1, 64, 4, 4).Output("y")
            .Initializer("w1", Seeded(C * 64 * 9), C, 64, 3, 3)
            .Initializer("w2", Seeded(C * C), C, C, 1, 1)
            .Node("Conv", ["x", "w1"], ["c1"], ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Relu", ["c1"], ["a1"])
            .Node("Conv", ["a1", "w2"], ["c2"])
            .Node("GlobalAveragePool", ["c2"], ["y"])
            .Save();
    }

    private static long AllocatedBy(Action run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void ImportDecodesEachWeightOnceIntoTheArrayItsTensorUses()
    {
        var path = Model();
        Engine.Graph.Model model = null!;
        // parsing (the protobuf reader copies a large field once more) and decoding once into the tensors' arrays:
        // about 3× the weights; the file read whole, decoded into doubles and converted to floats again took 6×
        long load = AllocatedBy(() => model = OnnxModel.Load(path, new OnnxImportOptions { Backend = new CpuKernels(threads: 1) }));
        Assert.InRange(load, WeightBytes, 3.5 * WeightBytes);
        var source = Assert.IsType<OnnxSource>(model.Source);
        Assert.All(source.Proto.Graph.Initializer, t => Assert.True(t.RawData.IsEmpty, $"{t.Name} keeps its raw bytes"));
    }

    [Fact]
    public void BuildsForOtherBatchSizesAndKeptTensorsShareTheWeights()
    {
        var model = OnnxModel.Load(Model(), new OnnxImportOptions { Backend = new CpuKernels(threads: 1) });
        Assert.False(model.Graph.Defines("c1")); // hidden by the Conv + Relu fusion
        Engine.Graph.Model kept = null!, batch3 = null!;
        long builds = AllocatedBy(() =>
        {
            kept = model.WithKept(["c1"]);
            batch3 = model.ForBatch(3);
        });
        Assert.True(kept.Graph.Defines("c1"));
        Assert.True(builds < WeightBytes / 5, $"the builds allocated {builds} bytes; the weights take {WeightBytes}");
        foreach (var w in new[] { "w1", "w2" })
        {
            var t = model.Graph.Constants.Single(c => c.Key == w || c.Key.StartsWith(w + "__", StringComparison.Ordinal));
            Assert.Same(t.Value, batch3.Graph.Constants[t.Key]);
            if (kept.Graph.Constants.TryGetValue(w, out var k)) Assert.Same(model.Graph.Constants[w], k);
        }
        Assert.Same(model.Graph.Constants["w2"], kept.Graph.Constants["w2"]);

        // and the kept build computes the same logits
        var x = Tensor.Uniform(model.InputShape, 4, -1, 1, backend: model.Backend);
        Assert.Equal(model.Run(x).ToArray(), kept.Run(x).ToArray());
    }
}
