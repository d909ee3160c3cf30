namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>
/// x·Sigmoid(x) (Mul of a tensor and its own Sigmoid, in either order) becomes one <see cref="FusedOps.Silu"/>
/// node: one pass over the tensor instead of two, and a SiLU a convolution's epilogue can take. Only when the
/// Sigmoid output is read by that Mul alone and is not kept.
/// </summary>
internal static class SiluFusion
{
    /// <summary>Runs the pass; returns the number of fusions.</summary>
    public static int Run(IrGraph g)
    {
        int fused = 0;
        foreach (var mul in g.Nodes.ToArray())
        {
            if (!mul.Is("Mul") || mul.Inputs.Count != 2 || mul.Outputs.Count != 1 || mul.Attributes.Count > 0) continue;
            for (int side = 0; side < 2; side++)
            {
                string s = mul.Inputs[side], x = mul.Inputs[1 - side];
                if (g.Producer(s) is not { } sigmoid || !sigmoid.Is("Sigmoid") || sigmoid.Inputs.Count != 1 || sigmoid.Inputs[0] != x
                    || x.Length == 0 || !g.CanHide(s, mul)) continue;
                var silu = new IrNode(sigmoid.Name, FusedOps.Domain, FusedOps.Silu, [x], mul.Outputs, []) { SourceOp = "Mul" };
                silu.Hidden.Add(new HiddenTensor(s, "Sigmoid", BeforeResidual: false));
                g.Nodes[g.Nodes.IndexOf(mul)] = silu;
                g.Nodes.Remove(sigmoid);
                g.Reindex();
                fused++;
                break;
            }
        }
        return fused;
    }
}
