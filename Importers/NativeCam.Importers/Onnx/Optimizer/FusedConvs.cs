namespace NativeCam.Importers.Onnx.Optimizer;

/// <summary>Building and reading <see cref="FusedOps.FusedConv"/> nodes.</summary>
internal static class FusedConvs
{
    /// <summary>A FusedConv doing what <paramref name="conv"/> (a Conv or FusedConv) does, as a new node.</summary>
    public static IrNode From(IrNode conv)
    {
        var n = new IrNode(conv.Name, FusedOps.Domain, FusedOps.FusedConv, conv.Inputs, conv.Outputs, conv.Attributes);
        while (n.Inputs.Count < 4) n.Inputs.Add("");
        n.Hidden.AddRange(conv.Hidden);
        n.SourceOp = conv.SourceOp ?? conv.OpType;
        if (n.Attribute("activation") is null) n.SetAttribute(FusedOps.String("activation", "None"));
        return n;
    }

    /// <summary>The activation's name ("None", "Relu", "Clip", "LeakyRelu", "HardSwish", "Silu").</summary>
    public static string Activation(IrNode n) => n.Attribute("activation")?.S.ToStringUtf8() ?? "None";

    /// <summary>True when a residual is added.</summary>
    public static bool HasResidual(IrNode n) => n.Inputs.Count > 3 && n.Inputs[3].Length > 0;

    /// <summary>A Conv, or a FusedConv with neither residual nor activation yet: an epilogue may still be appended.</summary>
    public static bool IsOpen(IrNode n) =>
        n.Is("Conv") && n.Inputs.Count is 2 or 3 && n.Outputs.Count == 1
        || n.IsFused(FusedOps.FusedConv) && Activation(n) == "None" && !HasResidual(n);
}
