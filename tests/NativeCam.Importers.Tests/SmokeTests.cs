using NativeCam.Importers.Tests.Support;

namespace NativeCam.Importers.Tests;

public class SmokeTests
{
    [Fact]
    public void ConvReluGraphMatchesOrt()
    {
        var w = OrtPeer.RandomInput([4, 3, 3, 3], 2);
        var path = new OnnxGraphBuilder(13)
            .Input("x", 1, 3, 9, 9)
            .Initializer("w", w, 4, 3, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], ("pads", new[] { 1, 0, 2, 1 }), ("strides", new[] { 2, 2 }))
            .Node("Relu", ["c"], ["y"])
            .Output("y")
            .Save();
        OrtPeer.AssertMatches(path, [1, 3, 9, 9]);
    }
}

public class FloatModelTests
{
    [Fact]
    public void MobileNetV2FloatMatchesOrtOnRandomInput() =>
        OrtPeer.AssertMatches(TestData.FloatModel, [1, 3, 224, 224], rtol: 1e-4, atol: 1e-3);
}
