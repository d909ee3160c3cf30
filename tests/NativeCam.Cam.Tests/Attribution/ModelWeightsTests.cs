using NativeCam.Engine;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Tests.Attribution;

/// <summary>The seeded re-drawing of the top weight layers used by the model-randomisation check.</summary>
public class ModelWeightsTests
{
    private static readonly Model Cnn = Methods.SmallCnn.Load();
    private static readonly Tensor X = Tensor.Uniform([1, 3, 16, 16], 41, -2, 2);

    [Fact]
    public void TheLayersAreTheConvolutionsAndTheDenseLayerInGraphOrder()
    {
        var layers = ModelWeights.Layers(Cnn);
        Assert.Equal(5, layers.Count); // three convolutions on the main path, the skip convolution, the Gemm
        Assert.Equal("Gemm", layers[^1].OpType);
        Assert.All(layers, l => Assert.True(Cnn.Graph.Constants[l.Weight].Rank >= 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void RandomizingTheTopKRedrawsExactlyTheirWeightsAndBiases(int k)
    {
        var layers = ModelWeights.Layers(Cnn);
        var redrawn = layers.Skip(layers.Count - k).SelectMany(l => new[] { l.Weight, l.Bias }).OfType<string>().ToHashSet();
        var random = ModelWeights.Randomized(Cnn, k, seed: 3);
        foreach (var (name, t) in Cnn.Graph.Constants)
        {
            var before = t.ToArray();
            var after = random.Graph.Constants[name].ToArray();
            if (!redrawn.Contains(name)) { Assert.Equal(before, after); continue; }
            Assert.Equal(t.Shape, random.Graph.Constants[name].Shape);
            Assert.NotEqual(before, after);
            double mean = before.Average(), sd = Math.Sqrt(before.Sum(v => (v - mean) * (v - mean)) / before.Length);
            Assert.All(after, v => Assert.InRange(Math.Abs(v), 0, Math.Sqrt(3) * sd + 1e-6));
        }
        Assert.NotEqual(Cnn.Run(X).ToArray(), random.Run(X).ToArray());
    }

    [Fact]
    public void TheCopyIsSeededAndTheSameForEveryBatchSize()
    {
        var a = ModelWeights.Randomized(Cnn, 2, seed: 9);
        var b = ModelWeights.Randomized(Cnn, 2, seed: 9);
        var c = ModelWeights.Randomized(Cnn, 2, seed: 10);
        Assert.Equal(a.Run(X).ToArray(), b.Run(X).ToArray());
        Assert.NotEqual(a.Run(X).ToArray(), c.Run(X).ToArray());
        var two = Tensor.Uniform([2, 3, 16, 16], 42, -2, 2);
        var both = a.ForBatch(2).Run(two).ToArray();
        for (int n = 0; n < 2; n++)
        {
            var alone = a.Run(two.Slice([n], [n + 1], [0])).ToArray();
            for (int j = 0; j < alone.Length; j++) Assert.Equal(alone[j], both[n * alone.Length + j], 5);
        }
        Assert.Equal(Cnn.Run(X).ToArray(), ModelWeights.Randomized(Cnn, 0, 1).Run(X).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelWeights.Randomized(Cnn, 6, 1));
    }

    [Fact]
    public void TheQuantizedModelsQLinearLayersAreWeightLayersAndOnlyTheTopOnesAreRedrawn()
    {
        var int8 = NativeCam.Importers.DefaultModel.Load();
        var layers = ModelWeights.Layers(int8);
        int qlinear = int8.Graph.Nodes.Count(n => n.OpType is "QLinearConv" or "QLinearMatMul" or "QGemm");
        Assert.True(qlinear > 40, $"{qlinear} QLinear nodes");
        Assert.Equal(qlinear, layers.Count);
        Assert.All(layers, l => Assert.True(int8.Graph.Constants[l.Weight].Rank >= 2, l.Weight));
        Assert.Contains(layers, l => l.Bias is not null && int8.Graph.Constants.ContainsKey(l.Bias)); // QLinearConv's scaled int32 biases
        var random = ModelWeights.Randomized(int8, 1, seed: 5);
        var top = new[] { layers[^1].Weight, layers[^1].Bias ?? "" };
        foreach (var (name, t) in int8.Graph.Constants)
            if (!top.Contains(name)) Assert.Same(t, random.Graph.Constants[name]);
            else Assert.NotEqual(t.ToArray(), random.Graph.Constants[name].ToArray());
        var x = Tensor.Uniform([1, 3, 224, 224], 43, -2, 2);
        Assert.NotEqual(int8.Run(x).ToArray(), random.Run(x).ToArray());
        Assert.Equal(int8.Run(x).ToArray(), ModelWeights.Randomized(int8, 0, 5).Run(x).ToArray());
    }
}
