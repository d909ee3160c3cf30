using System.Diagnostics;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Kernels.Cpu;
using Xunit.Abstractions;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Shapes;

/// <summary>
/// Import and <see cref="Model.ForBatch"/> infer shapes without running the model: the run-time backend does no
/// arithmetic while they build, and every tensor's inferred shape equals the shape a real forward pass gives it.
/// </summary>
public class ShapeInferenceTests(ITestOutputHelper output)
{
    private static readonly string Folder = FixtureModels.Folder;

    public static TheoryData<string> Models() => FixtureModels.NamesWithEmbedded();

    /// <summary>Exports that write batch 1 into Reshape constants: they run at batch 1 only (as ONNX Runtime does).</summary>
    private static readonly string[] FixedBatch = ["swin_t", "vit_b_16"];

    private static Model Load(string name, CountingKernels backend)
    {
        return FixtureModels.Load(name, new OnnxImportOptions { Backend = backend });
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ImportAndForBatchDoNoArithmeticAndInferTheShapesOfARealRun(string name)
    {
        var backend = new CountingKernels(new CpuKernels(threads: 1));
        var model = Load(name, backend);
        var constants = model.Graph.Constants.Values.Sum(c => c.Length);
        Assert.Equal(0, backend.Calls);
        Assert.Equal(constants, backend.AllocatedElements); // only the weights were made

        int size = FixedBatch.Contains(name) ? 1 : 3;
        var batch3 = model.ForBatch(size);
        Assert.Equal(0, backend.Calls);
        Assert.Same(batch3, model.ForBatch(size));
        Assert.Same(batch3, batch3.ForBatch(size));
        Assert.Same(model, batch3.ForBatch(model.BatchSize));
        Assert.Equal([size, .. model.InputShape[1..]], batch3.InputShape);

        // a real run at batch 3 (1 for fixed-batch exports), fetching every run-time tensor
        var input = Tensor.Uniform(batch3.InputShape, 7, -1, 1, backend: backend);
        var names = batch3.TensorShapes.Keys.Where(batch3.Graph.Defines).ToArray();
        var real = batch3.Run(input, names);
        Assert.True(backend.Calls > 0);
        foreach (var n in names)
            Assert.True(real[n].Shape.AsSpan().SequenceEqual(batch3.TensorShapes[n]),
                $"{name}: '{n}' ({batch3.Producers[n]}) inferred [{string.Join(", ", batch3.TensorShapes[n])}], ran [{string.Join(", ", real[n].Shape)}]");
        output.WriteLine($"{name}: {names.Length} tensors agree");
    }

    [Fact]
    public void ForBatchIsBuiltOnceUnderConcurrentFirstUse()
    {
        var model = OnnxModel.Load(Path.Combine(Folder, "resnet18.onnx"));
        var built = new Model[8];
        Parallel.For(0, built.Length, i => built[i] = model.ForBatch(5));
        Assert.All(built, m => Assert.Same(built[0], m));
    }

    [Fact]
    public void ForBatch48OfTheEmbeddedModelTakesNoForwardPass()
    {
        var backend = new CountingKernels(new CpuKernels(threads: 1));
        var clock = Stopwatch.StartNew();
        var model = DefaultModel.Load(new OnnxImportOptions { Backend = backend });
        output.WriteLine($"import: {clock.Elapsed.TotalMilliseconds:F0} ms");
        clock.Restart();
        var big = model.ForBatch(48);
        output.WriteLine($"ForBatch(48): {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(0, backend.Calls);
        Assert.Equal(48, big.TensorShapes[big.OutputName][0]);
    }
}
