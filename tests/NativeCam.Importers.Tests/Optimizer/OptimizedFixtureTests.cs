using System.Text.Json;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using Xunit.Abstractions;
using static NativeCam.Importers.Tests.Optimizer.OptimizerCheck;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>
/// All passes on every fixture and on the embedded int8 MobileNetV2: the same outputs in float64, the same g and
/// H·A at the manifest's CAM target when it is kept, and the source graph's tensors still described.
/// </summary>
public class OptimizedFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "manifest.json")));
        return new(doc.RootElement.GetProperty("models").EnumerateObject().Select(m => m.Name));
    }

    private static string Target(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "manifest.json")));
        return doc.RootElement.GetProperty("models").GetProperty(name).GetProperty("cam_target").GetProperty("tensor").GetString()!;
    }

    [Theory, MemberData(nameof(Models))]
    public void SameValuesAndSignalsAtTheCamTarget(string name)
    {
        var path = Path.Combine(Fixtures, name + ".onnx");
        string target = Target(name);
        var o = new OnnxImportOptions { DType = Kernels.DType.Float64 };
        var plain = OnnxModel.Load(path, o with { Optimize = false });
        var optimized = OnnxModel.Load(path, o);
        output.WriteLine($"{name}: {plain.Graph.Nodes.Count} → {optimized.Graph.Nodes.Count} run-time nodes");
        SameOutputs(plain, optimized);

        // every source tensor keeps its shape and producer; the target is materialised on request
        foreach (var t in Feeding(plain))
        {
            var shape = plain.TensorShapes[t];
            Assert.True(optimized.TensorShapes.TryGetValue(t, out var s) && s.SequenceEqual(shape), $"{name}: '{t}' lost its shape");
            Assert.Equal(plain.Producers[t], optimized.Producers[t]);
            Assert.Contains(t, optimized.RuntimeTensors);
        }
        var kept = optimized.WithKept([target]);
        Assert.Same(kept, optimized.WithKept([target]));
        SameSignals(plain, kept, target);
    }

    [Fact]
    public void EmbeddedInt8MobileNetV2()
    {
        var path = TestData.Int8Model;
        var o = new OnnxImportOptions { DType = Kernels.DType.Float64 };
        var plain = OnnxModel.Load(path, o with { Optimize = false });
        var optimized = OnnxModel.Load(path, o);
        output.WriteLine($"int8 MobileNetV2: {plain.Graph.Nodes.Count} → {optimized.Graph.Nodes.Count} run-time nodes");
        SameOutputs(plain, optimized);
        var target = Feeding(plain).Last(t => t != plain.OutputName && plain.TensorShapes[t] is [_, _, > 1, > 1]);
        SameSignals(plain, optimized.WithKept([target]), target);
    }
}
