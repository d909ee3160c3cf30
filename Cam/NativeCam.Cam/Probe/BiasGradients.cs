using NativeCam.Engine;
using NativeCam.Engine.Autodiff;
using NativeCam.Engine.Graph;

namespace NativeCam.Cam.Probe;

/// <summary>One biased layer's signal: its per-channel bias b [K] and g = ∂u/∂z [N, K, h, w] at its pre-activation z.</summary>
/// <param name="Layer">The pre-activation tensor's name (a Conv's output, or the BatchNormalization's after it).</param>
/// <param name="Bias">b_k, the value z takes per channel when the layer's input is zero.</param>
/// <param name="Gradient">∂u/∂z; g_k(i, j)·b_k is the bias-gradient of FullGrad at position (i, j).</param>
public sealed record BiasLayerSignal(string Layer, double[] Bias, Tensor Gradient);

/// <summary>The input gradient ∂u/∂x [N, 3, H, W] and the bias signals of every biased layer, from one reverse sweep.</summary>
public sealed record BiasGradientSignals(Tensor InputGradient, IReadOnlyList<BiasLayerSignal> Layers);

/// <summary>
/// The bias-gradients of FullGrad (Srinivas and Fleuret 2019) as a probe signal: ∂u/∂z at the output z of every
/// biased Conv and every BatchNormalization (pytorch-grad-cam's Conv2d and BatchNorm2d layers with a bias), read
/// in the same reverse sweep as ∂u/∂x. Those tensors are kept materialised, so no activation is fused over them and
/// a kept BatchNormalization stays its own node; each node producing one adds a zero tensor δ to its output, and
/// ∂u/∂δ = ∂u/∂z. A layer's bias is its output at a zero input: a Conv's bias, or for a BatchNormalization
/// β − μ·γ/√(σ² + ε), which is what the reference takes for a BatchNorm2d. No weight gradient is computed: the
/// weights stay constants.
/// </summary>
public static class BiasGradients
{
    /// <summary>The biased layers' outputs in the source graph: every Conv with a bias, every BatchNormalization.</summary>
    public static IReadOnlyList<string> Layers(Model model) =>
        model.SourceNodes
            .Where(n => n.Outputs.Length > 0 && n.Outputs[0].Length > 0
                        && (n.Op == "BatchNormalization" || (n.Op == "Conv" && n.Inputs.Length > 2 && n.Inputs[2].Length > 0)))
            .Select(n => n.Outputs[0]).ToList();

    /// <summary>∂u/∂x and the bias signals for the utility of <paramref name="classes"/>.</summary>
    /// <param name="model">The model (the input's batch size is built on demand).</param>
    /// <param name="input">[N, 3, H, W].</param>
    /// <param name="utility">The differentiated utility.</param>
    /// <param name="classes">The class of each image.</param>
    public static BiasGradientSignals Probe(Model model, Tensor input, Utility utility, int[] classes)
    {
        var baseModel = model.ForBatch(input.Shape[0]);
        var names = Layers(baseModel);
        var m = baseModel.WithKept(names);
        var graph = m.Graph;
        var layers = names.Where(n => graph.Defines(n) && graph.ProducerOf(n) >= 0).ToList();
        var index = layers.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var deltas = new Tensor[layers.Count];
        var nodes = graph.Nodes.Select(node =>
        {
            int[] outs = node.Outputs.Select((o, i) => index.ContainsKey(o) ? i : -1).Where(i => i >= 0).ToArray();
            if (outs.Length == 0) return node;
            var compute = node.Compute;
            return node with
            {
                Compute = args =>
                {
                    var r = compute(args);
                    foreach (int i in outs) r[i] = r[i] + deltas[index[node.Outputs[i]]];
                    return r;
                },
            };
        });
        var probed = new GraphExecutor(new ComputeGraph(graph.Inputs, graph.Constants, nodes, graph.Outputs)) { PlanMemory = false };
        var biases = layers.Select(l => BiasOf(m, l)).ToList();
        var zeros = layers.Select(l => Tensor.Zeros(m.TensorShapes[l], input.DType, input.Backend)).ToArray();

        Tensor U(Tensor[] xs)
        {
            for (int i = 0; i < deltas.Length; i++) deltas[i] = xs[i + 1];
            var logits = LayerProbe.Logits(probed.Evaluate(new Dictionary<string, Tensor> { [m.InputName] = xs[0] }, [m.OutputName])[m.OutputName]);
            return Utilities.Evaluate(utility, logits, classes);
        }
        var grads = Ad.Grad(U, [input, .. zeros]);
        return new BiasGradientSignals(grads[0], layers.Select((l, i) => new BiasLayerSignal(l, biases[i], grads[i + 1])).ToList());
    }

    /// <summary>b_k: the layer's output per channel when its data input is zero (a Conv's bias; for a
    /// BatchNormalization β − μ·γ/√(σ² + ε)).</summary>
    private static double[] BiasOf(Model m, string layer)
    {
        var g = m.Graph;
        var node = g.Nodes[g.ProducerOf(layer)];
        int k = m.TensorShapes[layer][1];
        if (node.OpType == "Conv" && node.Inputs.Length > 2 && g.Constants.TryGetValue(node.Inputs[2], out var b) && b.Rank == 1 && b.Shape[0] == k)
            return b.ToArray(); // a plain Conv: input 2 is its bias
        var args = new Tensor?[node.Inputs.Length];
        for (int i = 1; i < args.Length; i++)
            if (node.Inputs[i].Length > 0)
                args[i] = g.Constants.TryGetValue(node.Inputs[i], out var c) ? c
                    : throw new NotSupportedException($"FullGrad: the bias of '{layer}' depends on a computed tensor '{node.Inputs[i]}'");
        var inputShape = m.TensorShapes.TryGetValue(node.Inputs[0], out var s) ? s : throw new NotSupportedException($"FullGrad: no shape for '{node.Inputs[0]}'");
        args[0] = Tensor.Zeros(inputShape, m.DType, m.Backend);
        var y = node.Compute(args)[Array.IndexOf(node.Outputs, layer)].ToArray();
        int plane = y.Length / (m.TensorShapes[layer][0] * k);
        return Enumerable.Range(0, k).Select(c => y[c * plane]).ToArray();
    }
}
