using NativeCam.Importers.Tests.Support;
using static NativeCam.Importers.Tests.Optimizer.OptimizerCheck;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>x·Sigmoid(x) becomes one SiLU; the squeeze-and-excitation gates (x·Sigmoid(s), s ≠ x) stay.</summary>
public class SiluFusionTests
{
    [Fact]
    public void EfficientNetSwishesBecomeSilu()
    {
        var path = Path.Combine(Fixtures, "efficientnet_b0.onnx");
        var (plain, optimized, rewrites) = Load(path, ["silu"]);
        int sigmoids = Count(plain, "Sigmoid");
        int silus = rewrites["silu"];
        Assert.True(silus > 0 && silus < sigmoids, $"{silus} of {sigmoids} sigmoids fused");
        Assert.Equal(silus, Count(optimized, "Silu"));
        Assert.Equal(sigmoids - silus, Count(optimized, "Sigmoid"));
        SameOutputs(plain, optimized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EitherOperandOrderAndTheSignals(bool sigmoidFirst)
    {
        var path = new OnnxGraphBuilder().Input("x", 1, 2, 3, 3).Output("y")
            .Node("Sigmoid", ["x"], ["s"])
            .Node("Mul", sigmoidFirst ? ["s", "x"] : ["x", "s"], ["m"])
            .Node("Mul", ["m", "m"], ["y"])
            .Save();
        var (plain, optimized, rewrites) = Load(path, ["silu"]);
        Assert.Equal(1, rewrites["silu"]);
        Assert.Equal("Sigmoid", optimized.Producers["s"]);
        Assert.Equal("Mul", optimized.Producers["m"]);
        SameOutputs(plain, optimized);
        SameSignals(plain, optimized, "x");
    }
}
