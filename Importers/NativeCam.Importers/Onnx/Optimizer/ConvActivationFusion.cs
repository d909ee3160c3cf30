namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// An activation right after a convolution (or after a fused conv + residual) moves into the convolution's
/// epilogue: Relu, Clip with bounds known at import, LeakyRelu with 0 ≤ α ≤ 1, HardSwish and SiLU. ReLU and Clip
/// without a residual run inside the conv kernel; the others in place on its output. Only when the conv output is
/// read by the activation alone and is not kept.
/// </summary>
internal static class ConvActivationFusion
{
    /// <summary>Runs the pass; returns the number of fusions.</summary>
    public static int Run(IrGraph g)
    {
        int fused = 0;
        foreach (var act in g.Nodes.ToArray())
        {
            if (act.Outputs.Count != 1 || act.Inputs.Count == 0 || Parse(g, act) is not { } parsed) continue;
            var (name, parameters) = parsed;
            var x = act.Inputs[0];
            if (g.Producer(x) is not { } conv || !g.CanHide(x, act)) continue;
            bool open = FusedConvs.IsOpen(conv) || conv.IsFused(FusedOps.FusedConv) && FusedConvs.Activation(conv) == "None";
            if (!open) continue;
            var node = FusedConvs.From(conv);
            node.SetAttribute(FusedOps.String("activation", name));
            node.SetAttribute(FusedOps.Doubles("activation_params", parameters));
            node.Hidden.Add(new HiddenTensor(x, node.SourceOp!, BeforeResidual: !FusedConvs.HasResidual(conv)));
            node.Hidden.AddRange(act.Hidden);
            node.Outputs[0] = act.Outputs[0];
            node.SourceOp = act.SourceOp ?? act.OpType;
            g.Nodes[g.Nodes.IndexOf(act)] = node;
            g.Nodes.Remove(conv);
            g.Reindex();
            fused++;
        }
        return fused;
    }

    /// <summary>The activation's name and parameters, or null when it cannot be fused.</summary>
    private static (string Name, double[] Parameters)? Parse(IrGraph g, IrNode n)
    {
        if (n.IsFused(FusedOps.Silu)) return ("Silu", []);
        if (n.Domain.Length != 0) return null;
        switch (n.OpType)
        {
            case "Relu" when n.Inputs.Count == 1:
                return ("Relu", []);
            case "HardSwish" when n.Inputs.Count == 1 && n.Attributes.Count == 0:
                return ("HardSwish", []);
            case "LeakyRelu" when n.Inputs.Count == 1:
            {
                double alpha = n.Attribute("alpha") is { } a ? a.F : 0.01f;
                return alpha is >= 0 and <= 1 ? ("LeakyRelu", [alpha]) : null;
            }
            case "Clip":
            {
                double lo, hi;
                if (g.Opset < 11)
                {
                    if (n.Inputs.Count != 1) return null;
                    lo = n.Attribute("min") is { } a ? a.F : float.MinValue;
                    hi = n.Attribute("max") is { } b ? b.F : float.MaxValue;
                }
                else
                {
                    if (n.Inputs.Count > 3 || n.Attributes.Count > 0) return null;
                    double? Bound(int i, double open) => n.Inputs.Count <= i || n.Inputs[i].Length == 0 ? open : g.Scalar(n.Inputs[i]);
                    if (Bound(1, double.NegativeInfinity) is not { } l || Bound(2, double.PositiveInfinity) is not { } h) return null;
                    (lo, hi) = (l, h);
                }
                return lo < hi ? ("Clip", [lo, hi]) : null;
            }
            default:
                return null;
        }
    }
}
