using static NativeCam.Importers.Tests.Optimizer.OptimizerCheck;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>Conv + residual Add fused: ResNet blocks (Add then Relu) and MobileNetV2 blocks (Add alone).</summary>
public class ConvResidualFusionTests
{
    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("mobilenet_v2")]
    public void EveryResidualAddAfterAConvFuses(string name)
    {
        var path = Path.Combine(Fixtures, name + ".onnx");
        var (plain, optimized, rewrites) = Load(path, ["conv-residual-add"]);
        int adds = Count(plain, "Add");
        Assert.Equal(adds, rewrites["conv-residual-add"]);
        Assert.Equal(0, Count(optimized, "Add"));
        Assert.Equal(adds, Count(optimized, "FusedConv"));
        SameOutputs(plain, optimized);
    }

    [Fact]
    public void SignalsAtATargetInsideAResidualBlock()
    {
        // the head from layer3's first block output: later blocks read it both through convs and as a residual
        var path = Path.Combine(Fixtures, "resnet18.onnx");
        var plainModel = Load(path, ["conv-residual-add"]).Plain;
        var target = plainModel.Graph.Nodes.Where(n => n.OpType == "Relu").Select(n => n.Outputs[0]).ElementAt(8);
        var (plain, optimized, _) = Load(path, null, keep: [target]);
        SameOutputs(plain, optimized);
        SameSignals(plain, optimized, target);
    }
}
