using Onnx;

namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// Rewrites an ONNX model before import, like an inference engine's graph transformers: dead nodes go, BatchNorm
/// folds into the Conv before it, x·σ(x) becomes one SiLU, and a convolution takes the residual Add and the
/// activation after it into its epilogue. Every tensor in the kept set (graph outputs and any requested tensor)
/// stays materialised with its name, and a fused node lies wholly on one side of each kept tensor, so the
/// sub-graph downstream of it reads the same inputs as in the source. Constants need no pass: the importer folds
/// every node whose inputs are known at import, and Reshape/Flatten/Squeeze/Identity are already views.
/// </summary>
internal static class GraphOptimizer
{
    /// <summary>What the passes did, by name (for tests and diagnostics).</summary>
    public sealed record Report(IReadOnlyDictionary<string, int> Rewrites);

    /// <summary>The passes, in the order they run.</summary>
    public static readonly (string Name, Func<IrGraph, int> Run)[] Passes =
    [
        ("dead-nodes", DeadNodeElimination.Run),
        ("batchnorm-into-conv", BatchNormFolding.Run),
        ("silu", SiluFusion.Run),
        ("conv-residual-add", ConvResidualFusion.Run),
        ("conv-activation", ConvActivationFusion.Run),
        ("dead-nodes-after-fusion", DeadNodeElimination.Run),
    ];

    /// <summary>
    /// The optimised model, or null when nothing changed or the graph is malformed (then the source is imported
    /// as it is and reports its own errors).
    /// </summary>
    /// <param name="model">The parsed model (not modified).</param>
    /// <param name="file">The model file (for decoding external data).</param>
    /// <param name="options">Import options; <see cref="OnnxImportOptions.KeepTensors"/> adds to the graph outputs.</param>
    /// <param name="only">Run only the passes with these names (tests); null runs all.</param>
    /// <param name="decoder">Decodes initializers (default: a fresh decoder of <paramref name="file"/>).</param>
    public static (ModelProto Model, Report Report)? Optimize(ModelProto model, string file, OnnxImportOptions options, IReadOnlySet<string>? only = null,
        TensorDecoder? decoder = null)
    {
        var g = IrGraph.Build(model, options.KeepTensors ?? [], decoder ?? new TensorDecoder(file, options));
        if (g is null) return null;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, run) in Passes)
            if (only is null || only.Contains(name)) counts[name] = run(g);
        if (counts.Values.All(c => c == 0)) return null;
        return (g.ToModel(model), new Report(counts));
    }
}
