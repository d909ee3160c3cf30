using NativeCam.Importers.Onnx;
using NativeCam.Importers.Tests.Support;
using static NativeCam.Importers.Tests.Optimizer.OptimizerCheck;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>Activations fused into the convolution's epilogue: values and signals as before.</summary>
public class ConvActivationFusionTests
{
    [Theory]
    [InlineData("resnet18", "Relu")]
    [InlineData("vgg16", "Relu")]
    [InlineData("mobilenet_v2", "Clip")]
    public void FixtureActivationsFuse(string name, string op)
    {
        var path = Path.Combine(Fixtures, name + ".onnx");
        var (plain, optimized, rewrites) = Load(path, ["conv-activation"]);
        Assert.True(rewrites["conv-activation"] > 0);
        Assert.Equal(Count(plain, op) - rewrites["conv-activation"], Count(optimized, op));
        SameOutputs(plain, optimized);
    }

    /// <summary>The float MobileNetV2 of the model zoo: every Clip (ReLU6) follows a conv.</summary>
    [Fact]
    public void FloatMobileNetV2ClipsAllFuse()
    {
        var path = TestData.FloatModel;
        var (plain, optimized, rewrites) = Load(path, null);
        Assert.Equal(0, Count(optimized, "Clip"));
        Assert.Equal(0, Count(optimized, "Add"));
        Assert.True(rewrites["conv-activation"] >= 35);
        SameOutputs(plain, optimized);
    }

    /// <summary>x → Conv → act → Conv → act → GlobalAveragePool → logits, for an activation node.</summary>
    private static string Model(string op, params (string Name, object Value)[] attributes)
    {
        var r = new Random(5);
        float[] Seeded(int n) => Enumerable.Range(0, n).Select(_ => 2 * (float)r.NextDouble() - 1).ToArray();
        return new OnnxGraphBuilder(op == "HardSwish" ? 17 : 13).Input("x", 1, 3, 7, 7).Output("y")
            .Initializer("w1", Seeded(6 * 3 * 9), 6, 3, 3, 3)
            .Initializer("b1", Seeded(6), 6)
            .Initializer("w2", Seeded(4 * 6), 4, 6, 1, 1)
            .Node("Conv", ["x", "w1", "b1"], ["c1"], ("pads", new[] { 1, 1, 1, 1 }), ("strides", new[] { 2, 2 }))
            .Node(op, ["c1"], ["a1"], attributes)
            .Node("Conv", ["a1", "w2"], ["c2"])
            .Node(op, ["c2"], ["a2"], attributes)
            .Node("GlobalAveragePool", ["a2"], ["y"])
            .Save();
    }

    public static TheoryData<string> Ops => new(["Relu", "LeakyRelu", "HardSwish", "Sigmoid·Mul"]);

    [Theory, MemberData(nameof(Ops))]
    public void EachActivationKeepsValuesAndSignals(string op)
    {
        string path = op switch
        {
            "LeakyRelu" => Model("LeakyRelu", ("alpha", 0.2f)),
            "Sigmoid·Mul" => SiluModel(),
            _ => Model(op),
        };
        var (plain, optimized, rewrites) = Load(path, null);
        Assert.Equal(2, rewrites["conv-activation"]);
        Assert.Equal(2, Count(optimized, "FusedConv"));
        Assert.Equal(plain.TensorShapes["c1"], optimized.TensorShapes["c1"]);
        SameOutputs(plain, optimized);
        SameSignals(plain, optimized, "a1");
        // a request for the hidden conv output imports a graph that keeps it
        var (_, kept, _) = Load(path, null, keep: ["c2"]);
        Assert.Equal(1, Count(kept, "FusedConv"));
        SameSignals(plain, kept, "c2");
    }

    private static string SiluModel()
    {
        var r = new Random(6);
        float[] Seeded(int n) => Enumerable.Range(0, n).Select(_ => 2 * (float)r.NextDouble() - 1).ToArray();
        return new OnnxGraphBuilder().Input("x", 1, 3, 7, 7).Output("y")
            .Initializer("w1", Seeded(6 * 3 * 9), 6, 3, 3, 3)
            .Initializer("w2", Seeded(4 * 6), 4, 6, 1, 1)
            .Node("Conv", ["x", "w1"], ["c1"], ("pads", new[] { 1, 1, 1, 1 }))
            .Node("Sigmoid", ["c1"], ["s1"]).Node("Mul", ["c1", "s1"], ["a1"])
            .Node("Conv", ["a1", "w2"], ["c2"])
            .Node("Sigmoid", ["c2"], ["s2"]).Node("Mul", ["s2", "c2"], ["a2"])
            .Node("GlobalAveragePool", ["a2"], ["y"])
            .Save();
    }

    [Fact]
    public void ClipWithBoundsComputedAtRunTimeStaysApart()
    {
        var path = new OnnxGraphBuilder().Input("x", 1, 2, 4, 4).Output("y")
            .Initializer("w", [1, -1, 0.5f, 2], 2, 2, 1, 1)
            .Node("Conv", ["x", "w"], ["c"])
            .Node("ReduceMean", ["x"], ["lo"], ("keepdims", 0))
            .Node("Clip", ["c", "lo"], ["y"])
            .Save();
        var model = OnnxModel.Load(path);
        Assert.Contains(model.Graph.Nodes, n => n.OpType == "Clip");
    }
}
