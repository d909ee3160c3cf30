using Onnx;

namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// Folds an inference BatchNormalization into the Conv before it: y = (conv(x, w) + b − μ)·s + β with
/// s = γ/√(σ² + ε) per output channel is conv(x, w·s) + (b − μ)·s + β. The new weights and bias are computed in
/// float64 and stored as double initializers (rounded once to the model's dtype at import). Only when the Conv
/// output is read by the BatchNormalization alone and is not kept, and every parameter is a float initializer.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>Runs the pass; returns the number of folds.</summary>
    public static int Run(IrGraph g)
    {
        int folded = 0;
        foreach (var bn in g.Nodes.ToArray())
        {
            if (!bn.Is("BatchNormalization") || bn.Inputs.Count != 5 || bn.Outputs.Skip(1).Any(o => o.Length > 0)) continue;
            if (bn.Attribute("training_mode") is { I: not 0 } || bn.Attribute("spatial") is { I: 0 }) continue;
            var x = bn.Inputs[0];
            if (g.Producer(x) is not { } conv || !FusedConvs.IsOpen(conv) || !g.CanHide(x, bn)) continue;
            var w = g.Initializer(conv.Inputs[1]);
            if (w is null || w.Shape.Length != 4) continue;
            int k = w.Shape[0];
            var p = bn.Inputs.Skip(1).Select(g.Initializer).ToArray();
            if (p.Any(c => c is null || c.Shape.Length != 1 || c.Shape[0] != k)) continue;
            double[]? b = null;
            if (conv.Inputs.Count > 2 && conv.Inputs[2].Length > 0)
            {
                var bias = g.Initializer(conv.Inputs[2]);
                if (bias is null || bias.Shape.Length != 1 || bias.Shape[0] != k) continue;
                b = bias.Floats;
            }
            double eps = bn.Attribute("epsilon") is { } e ? e.F : 1e-5f;
            if (!(eps >= 0)) continue;
            var (gamma, beta, mean, var) = (p[0]!.Floats!, p[1]!.Floats!, p[2]!.Floats!, p[3]!.Floats!);
            var wf = w.Floats!;
            var w2 = new double[wf.Length];
            var b2 = new double[k];
            int per = wf.Length / k;
            for (int o = 0; o < k; o++)
            {
                // the engine's BatchNorm computes γ·(σ² + ε)^−½ the same way
                double s = gamma[o] * Math.Pow(var[o] + eps, -0.5);
                for (int i = 0; i < per; i++) w2[o * per + i] = wf[o * per + i] * s;
                b2[o] = ((b?[o] ?? 0) - mean[o]) * s + beta[o];
            }
            var fused = FusedConvs.From(conv);
            fused.Inputs[1] = g.AddInitializer(conv.Inputs[1], w2, w.Shape);
            fused.Inputs[2] = g.AddInitializer(fused.Inputs[2].Length > 0 ? fused.Inputs[2] : conv.Inputs[1] + "_bias", b2, [k]);
            fused.Hidden.Add(new HiddenTensor(x, conv.SourceOp ?? conv.OpType, BeforeResidual: true));
            fused.Outputs[0] = bn.Outputs[0];
            fused.SourceOp = "BatchNormalization";
            g.Nodes[g.Nodes.IndexOf(bn)] = fused;
            g.Nodes.Remove(conv);
            g.Reindex();
            folded++;
        }
        return folded;
    }
}
