using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using NativeCam.Kernels.Cpu;
using Xunit.Abstractions;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Memory;

/// <summary>
/// Plain forward passes run under a static memory plan: after warm-up a pass allocates almost nothing, gives the
/// same bits as an unplanned pass, and never overwrites the results a caller still holds.
/// </summary>
public class MemoryPlanTests(ITestOutputHelper output)
{
    public static TheoryData<string> Models() => FixtureModels.NamesWithEmbedded();

    private static Model Load(string name, int threads = 1)
    {
        return FixtureModels.Load(name, new OnnxImportOptions { Backend = new CpuKernels(threads: threads) });
    }

    private static long AllocatedBy(Action run)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        run();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void AWarmForwardPassAllocatesUnderOnePercentOfItsActivationBytes()
    {
        var model = Load("embedded");
        var input = Tensor.Uniform(model.InputShape, 3, -2, 2, backend: model.Backend);
        model.Executor.PlanMemory = false;
        model.Run(input).Dispose();
        long unplanned = AllocatedBy(() => model.Run(input).Dispose()); // every activation is a fresh array

        model.Executor.PlanMemory = true;
        for (int i = 0; i < 3; i++) model.Run(input).Dispose(); // record, then make the blocks
        long planned = AllocatedBy(() => model.Run(input).Dispose());
        long activationBytes = 4 * model.Executor.PlannedElements(new Dictionary<string, Tensor> { [model.InputName] = input }, [model.OutputName]);
        output.WriteLine($"one forward pass allocates {unplanned / 1e6:F2} MB unplanned, {planned / 1e3:F1} kB planned; planned activations {activationBytes / 1e6:F2} MB");
        Assert.True(activationBytes > unplanned / 2, $"the plan covers {activationBytes} bytes of the {unplanned} an unplanned pass allocates");
        Assert.True(planned < activationBytes / 100, $"a planned pass allocated {planned} bytes; its activations take {activationBytes}");
        Assert.True(planned < unplanned / 100, $"a planned pass allocated {planned} bytes; an unplanned one {unplanned}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void PlannedPassesGiveTheBitsOfAnUnplannedPass(string name)
    {
        var model = Load(name, threads: 2);
        var a = Tensor.Uniform(model.InputShape, 5, -2, 2, backend: model.Backend);
        var b = Tensor.Uniform(model.InputShape, 6, -2, 2, backend: model.Backend);
        model.Executor.PlanMemory = false;
        var expectedA = model.Run(a).ToArray();
        var expectedB = model.Run(b).ToArray();
        model.Executor.PlanMemory = true;
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expectedA, model.Run(a).ToArray());
            Assert.Equal(expectedB, model.Run(b).ToArray());
        }
    }

    [Fact]
    public void ResultsAreNotOverwrittenByTheNextRun()
    {
        var model = Load("resnet18");
        string inner = model.Graph.Nodes[model.Graph.Nodes.Count / 2].Outputs[0];
        var a = Tensor.Uniform(model.InputShape, 1, -2, 2, backend: model.Backend);
        var b = Tensor.Uniform(model.InputShape, 2, -2, 2, backend: model.Backend);
        for (int i = 0; i < 2; i++) model.Run(a, model.OutputName, inner);
        var held = model.Run(a, model.OutputName, inner);
        var copies = held.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        for (int i = 0; i < 2; i++) model.Run(b, model.OutputName, inner);
        foreach (var (n, t) in held) Assert.Equal(copies[n], t.ToArray());
        Assert.NotEqual(copies[model.OutputName], model.Run(b).ToArray());
    }

    [Fact]
    public void ConcurrentRunsOfOneRequestAgree()
    {
        var model = Load("resnet18");
        var input = Tensor.Uniform(model.InputShape, 4, -2, 2, backend: model.Backend);
        var expected = model.Run(input).ToArray();
        var got = new double[8][];
        Parallel.For(0, got.Length, i => got[i] = model.Run(input).ToArray());
        Assert.All(got, g => Assert.Equal(expected, g));
    }
}
