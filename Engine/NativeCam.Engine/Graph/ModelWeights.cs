namespace NativeCam.Engine.Graph;

/// <summary>One weight layer of a graph: a convolution or dense node and the constants it reads.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="OpType">Its op type (Conv, FusedConv, Gemm, MatMul).</param>
/// <param name="Weight">The weight constant's name.</param>
/// <param name="Bias">The bias constant's name, or null when it has none.</param>
public sealed record WeightLayer(string Node, string OpType, string Weight, string? Bias);

/// <summary>
/// Weight layers of a model and copies of it with the weights of some layers re-drawn (the model-randomisation
/// sanity check of Adebayo et al.). A re-drawn constant keeps its shape and its spread: values ~ U(−b, b) with
/// b = √3·σ, σ the standard deviation of the original values (so activations keep their scale whatever the layout of
/// the weights), drawn from a <see cref="Random"/> seeded by (seed, the constant's name), so every batch size built
/// of the copy has the same weights.
/// </summary>
public static class ModelWeights
{
    // QOperator int8 layers read their dequantised weights (and scaled biases) as graph constants in the same places
    private static readonly HashSet<string> WeightOps = new(StringComparer.Ordinal)
        { "Conv", "FusedConv", "Gemm", "MatMul", "ConvTranspose", "QLinearConv", "QLinearMatMul", "QGemm" };

    /// <summary>The weight layers of <paramref name="model"/>'s graph in topological order (input side first).</summary>
    public static IReadOnlyList<WeightLayer> Layers(Model model)
    {
        var constants = model.Graph.Constants;
        var layers = new List<WeightLayer>();
        foreach (var node in model.Graph.Nodes)
        {
            if (!WeightOps.Contains(node.OpType) || node.Inputs.Length < 2) continue;
            if (!constants.TryGetValue(node.Inputs[1], out var w) || w.Rank < 2) continue;
            string? bias = node.Inputs.Length > 2 && node.Inputs[2].Length > 0 && constants.ContainsKey(node.Inputs[2]) ? node.Inputs[2] : null;
            layers.Add(new WeightLayer(node.Name, node.OpType, node.Inputs[1], bias));
        }
        return layers;
    }

    /// <summary>
    /// <paramref name="model"/> with the weights and biases of its last <paramref name="top"/> weight layers re-drawn
    /// (the cascade of Adebayo et al.: top = 1 randomises the output layer, top = <see cref="Layers"/>.Count all).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> outside [0, layer count].</exception>
    public static Model Randomized(Model model, int top, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layers = Layers(model);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, layers.Count);
        var names = layers.Skip(layers.Count - top).SelectMany(l => l.Bias is null ? [l.Weight] : new[] { l.Weight, l.Bias })
            .ToHashSet(StringComparer.Ordinal);
        var source = model.Source is { } s ? new RandomizedSource(s, names, seed) : null;
        return Rewrite(model, names, seed, source);
    }

    /// <summary>A re-drawn copy of a constant: same shape, dtype and backend, ~ U(−√3·σ, √3·σ).</summary>
    public static Tensor Redraw(Tensor constant, string name, int seed)
    {
        var v = constant.ToArray();
        double mean = v.Length == 0 ? 0 : v.Average();
        double variance = v.Length == 0 ? 0 : v.Sum(x => (x - mean) * (x - mean)) / v.Length;
        double bound = Math.Sqrt(3 * variance);
        var rng = new Random(NameSeed(seed, name));
        var d = new double[v.Length];
        for (int i = 0; i < d.Length; i++) d[i] = bound * (2 * rng.NextDouble() - 1);
        return Tensor.FromDoubles(d, constant.Shape, constant.DType, constant.Backend).MarkConstant();
    }

    private static int NameSeed(int seed, string name)
    {
        uint h = 2166136261u ^ (uint)seed;
        foreach (char c in name) h = (h ^ c) * 16777619u;
        return (int)(h & int.MaxValue);
    }

    private static Model Rewrite(Model model, IReadOnlySet<string> names, int seed, IModelSource? source)
    {
        var g = model.Graph;
        var constants = g.Constants.ToDictionary(kv => kv.Key, kv => names.Contains(kv.Key) ? Redraw(kv.Value, kv.Key, seed) : kv.Value,
            StringComparer.Ordinal);
        var graph = new ComputeGraph(g.Inputs, constants, g.Nodes, g.Outputs);
        return new Model(model.File, graph, model.InputName, (int[])model.InputShape.Clone(), model.OutputName, model.TensorShapes,
            model.Producers, model.ValueShapes, model.Backend, model.DType, source)
        {
            RuntimeTensors = model.RuntimeTensors,
        };
    }

    /// <summary>Builds the source's models and re-draws the same constants in each.</summary>
    private sealed class RandomizedSource(IModelSource inner, IReadOnlySet<string> names, int seed) : IModelSource
    {
        public Model Build(int[] inputShape) => Rewrite(inner.Build(inputShape), names, seed, this);

        public IReadOnlyList<LayerFlops> Layers(Model model) => inner.Layers(model);

        public IReadOnlyList<(string Op, string[] Inputs, string[] Outputs)> SourceNodes(Model model) => inner.SourceNodes(model);

        public string[]? KeepFor(Model model, IEnumerable<string> tensors) => inner.KeepFor(model, tensors);

        public IModelSource Keeping(string[] keep) => new RandomizedSource(inner.Keeping(keep), names, seed);
    }
}
