using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;
using NativeCam.Importers.Onnx;
using NativeCam.Importers.Onnx.Optimizer;
using NativeCam.Kernels;
using Tensor = NativeCam.Engine.Tensor;

namespace NativeCam.Importers.Tests.Optimizer;

/// <summary>
/// Compares a model imported as it is with the same model after optimizer passes, both in float64: outputs on a
/// seeded input, and the probe's signals at a kept tensor A (g = ∂u/∂A and H·A by forward-over-reverse of the head
/// from A to the logits, u the top class's logit).
/// </summary>
internal static class OptimizerCheck
{
    /// <summary>Folder of the fixture models.</summary>
    public static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures", "models");

    /// <summary>The source import and the import after <paramref name="passes"/> (null: all), with what they did.</summary>
    public static (Model Plain, Model Optimized, IReadOnlyDictionary<string, int> Rewrites) Load(string path, string[]? passes, string[]? keep = null,
        DType dtype = DType.Float64)
    {
        var o = new OnnxImportOptions { DType = dtype, Optimize = false, KeepTensors = keep };
        var proto = OnnxModelReader.Read(path, o);
        var plain = new OnnxImporter(path, o).Import(proto);
        var result = GraphOptimizer.Optimize(proto, path, o, passes?.ToHashSet(StringComparer.Ordinal));
        Assert.True(result is not null, $"{Path.GetFileName(path)}: the passes changed nothing");
        var optimized = new OnnxImporter(path, o with { Optimize = true }).Import(result.Value.Model);
        return (plain, optimized, result.Value.Report.Rewrites);
    }

    /// <summary>Node count of each op type in a model's run-time graph.</summary>
    public static int Count(Model m, string op) => m.Graph.Nodes.Count(n => n.OpType == op);

    /// <summary>Run-time tensors the output depends on, in topological order.</summary>
    public static List<string> Feeding(Model m)
    {
        var nodes = m.Graph.Nodes;
        var feeds = new HashSet<string>(StringComparer.Ordinal) { m.OutputName };
        for (int i = nodes.Count - 1; i >= 0; i--)
            if (nodes[i].Outputs.Any(feeds.Contains))
                foreach (var inp in nodes[i].Inputs) if (inp.Length > 0) feeds.Add(inp);
        return m.Graph.IntermediateNames.Where(feeds.Contains).ToList();
    }

    /// <summary>A seeded float64 input of the model's shape.</summary>
    public static Tensor Input(Model m, int seed = 3) => Tensor.Uniform(m.InputShape, seed, -1, 1, DType.Float64);

    /// <summary>Asserts the outputs agree to |Δ| ≤ tol·max|plain| (float64: only rounding differs).</summary>
    public static void SameOutputs(Model plain, Model optimized, double tol = 1e-10, int seed = 3)
    {
        var x = Input(plain, seed);
        Close(plain.Run(x).ToArray(), optimized.Run(x).ToArray(), tol, "output");
    }

    /// <summary>Asserts g and H·A at <paramref name="layer"/> agree (the optimised model keeps it materialised).</summary>
    public static void SameSignals(Model plain, Model optimized, string layer, double tol = 1e-9, int seed = 3)
    {
        Assert.True(optimized.Graph.Defines(layer), $"the optimised graph hides the kept tensor '{layer}'");
        var x = Input(plain, seed);
        var (ga, ha) = Signals(plain, x, layer, null, out int cls);
        var (gb, hb) = Signals(optimized, x, layer, cls, out _);
        Close(ga, gb, tol, "g");
        Close(ha, hb, tol, "H·A");
    }

    private static (double[] G, double[] Ha) Signals(Model m, Tensor x, string layer, int? cls, out int used)
    {
        string output = m.OutputName;
        var side = m.Graph.SideInputs([layer], [output]);
        var forward = m.Run(x, [layer, output, .. side]);
        var logits = forward[output].ToArray();
        used = cls ?? Array.IndexOf(logits, logits.Max());
        int k = logits.Length, c = used;
        var onehot = Tensor.FromDoubles(Enumerable.Range(0, k).Select(i => i == c ? 1.0 : 0.0).ToArray(), forward[output].Shape, DType.Float64);
        var given = side.ToDictionary(s => s, s => forward[s], StringComparer.Ordinal);
        Tensor U(Tensor z)
        {
            given[layer] = z;
            return (m.Executor.Evaluate(given, [output])[output] * onehot).Sum();
        }
        var a = forward[layer];
        var (g, hv) = Ad.GradAndHvp(U, a, a);
        return (g.ToArray(), hv.ToArray());
    }

    private static void Close(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(expected.Max(Math.Abs), 1e-300), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        Assert.True(worst <= tol * scale, $"{what}: max |Δ| {worst:E3} exceeds {tol:E1} × max |plain| {scale:E3}");
    }
}
