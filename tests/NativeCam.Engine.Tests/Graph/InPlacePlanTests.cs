using NativeCam.Engine.Graph;
using NativeCam.Kernels;
using NativeCam.Kernels.Cpu;

namespace NativeCam.Engine.Tests.Graph;

/// <summary>
/// A memory plan writes an elementwise op's output over an input that no later node reads, and never over one that
/// a later node still reads.
/// </summary>
public class InPlacePlanTests
{
    private const int Length = 4099;

    /// <summary>x → a = x·w → b = exp(a) → c = b + a → d = σ(c) (fetched). b must not overwrite a (c reads it);
    /// c may overwrite b (both inputs die at c); d is a result (fresh memory).</summary>
    private static ComputeGraph Build(Tensor w)
    {
        GraphNode N(string name, string[] ins, string outName, Func<Tensor?[], Tensor> f) => new(name, "T", ins, [outName], a => [f(a)]);
        return new ComputeGraph(["x"], new Dictionary<string, Tensor> { ["w"] = w },
        [
            N("n1", ["x", "w"], "a", a => a[0]! * a[1]!),
            N("n2", ["a"], "b", a => a[0]!.Exp()),
            N("n3", ["b", "a"], "c", a => a[0]! + a[1]!),
            N("n4", ["c"], "d", a => a[0]!.Sigmoid()),
        ], ["d"]);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void ElementwiseOutputsTakeTheBlocksOfInputsNothingReadsLater(DType dtype)
    {
        var backend = new CpuKernels(threads: 1);
        var w = Tensor.Uniform([Length], 7, -1, 1, dtype, backend);
        var x = Tensor.Uniform([Length], 8, -1, 1, dtype, backend);
        var a = x * w;
        var expected = (a.Exp() + a).Sigmoid().ToArray();
        var ex = new GraphExecutor(Build(w));
        var given = new Dictionary<string, Tensor> { ["x"] = x };
        for (int run = 0; run < 4; run++) // the recording, then planned runs
            Assert.Equal(expected, ex.Evaluate(given, ["d"])["d"].ToArray());
        var (blocks, peak) = ex.PlanSizes(given, ["d"]);
        // a and b alive together, c in b's block: two blocks (three without writing in place); d is a result
        Assert.Equal(2L * Length, blocks);
        Assert.Equal(2L * Length, peak);
    }
}
