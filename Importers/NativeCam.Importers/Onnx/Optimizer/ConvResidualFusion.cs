namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// Add(conv(x, w) + b, z) becomes a FusedConv with residual z: the sum is made in the convolution's output buffer
/// instead of a third tensor. When both operands come from convolutions, the later one takes the other as its
/// residual. Only when the conv output is read by the Add alone and is not kept.
/// </summary>
internal static class ConvResidualFusion
{
    /// <summary>Runs the pass; returns the number of fusions.</summary>
    public static int Run(IrGraph g)
    {
        int fused = 0;
        foreach (var add in g.Nodes.ToArray())
        {
            if (!add.Is("Add") || add.Inputs.Count != 2 || add.Outputs.Count != 1 || add.Attributes.Count > 0) continue;
            if (add.Inputs[0] == add.Inputs[1] || add.Inputs.Any(i => i.Length == 0)) continue;
            int best = -1, bestAt = -1;
            for (int side = 0; side < 2; side++)
                if (g.Producer(add.Inputs[side]) is { } p && FusedConvs.IsOpen(p) && g.CanHide(add.Inputs[side], add)
                    && g.Nodes.IndexOf(p) is var at && at > bestAt)
                    (best, bestAt) = (side, at);
            if (best < 0) continue;
            var conv = g.Nodes[bestAt];
            var node = FusedConvs.From(conv);
            node.Inputs[3] = add.Inputs[1 - best];
            node.Hidden.Add(new HiddenTensor(add.Inputs[best], node.SourceOp!, BeforeResidual: true));
            node.Outputs[0] = add.Outputs[0];
            node.SourceOp = "Add";
            g.Nodes[g.Nodes.IndexOf(add)] = node;
            g.Nodes.Remove(conv);
            g.Reindex();
            fused++;
        }
        return fused;
    }
}
