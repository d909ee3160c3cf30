using NativeCam.Engine;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>BatchNormalization (inference, opsets 7–15) and LayerNormalization (opset 17).</summary>
internal static class NormalizationHandlers
{
    public static void Register(RegisterOp add)
    {
        add("BatchNormalization", BatchNorm);
        add("LayerNormalization", LayerNorm);
    }

    private static string Dims(int[] s) => $"[{string.Join(", ", s)}]";

    /// <summary>
    /// y = (x − mean)/√(var + ε)·scale + B per channel (axis 1). Opsets 7–8 also have spatial = 0, where the
    /// statistics are per element of [C, D1, …]; 14+ has training_mode, which must be 0.
    /// </summary>
    private static void BatchNorm(NodeContext ctx)
    {
        ctx.ExpectInputs(5, 5);
        double eps = ctx.Attributes.Float("epsilon", 1e-5f);
        if (!(eps >= 0)) throw ctx.Fail($"epsilon {eps} must not be negative");
        if (ctx.Opset >= 14 && ctx.Attributes.Int("training_mode", 0) != 0)
            throw ctx.Unsupported("training_mode 1 is not supported (inference only)");
        if (ctx.Node.Output.Skip(1).Any(o => o.Length > 0))
            throw ctx.Unsupported("the running or saved mean/variance outputs (training) are not supported");
        bool spatial = ctx.Opset >= 9 || ctx.Attributes.Int("spatial", 1) != 0;
        var x = ctx.Input(0).Shape;
        if (x.Length < 2) throw ctx.Fail($"input rank {x.Length} is below 2; X is [N, C, ...]");
        int[] stat = spatial ? [x[1]] : x[1..];
        string[] names = ["", "scale", "B", "mean", "var"];
        for (int i = 1; i < 5; i++)
            if (!ctx.Input(i).Shape.AsSpan().SequenceEqual(stat))
                throw ctx.Fail($"{names[i]} has shape {Dims(ctx.Input(i).Shape)}, expected {Dims(stat)} for X {Dims(x)}");
        if (spatial)
        {
            ctx.Emit([0, 1, 2, 3, 4], a => a[0]!.BatchNorm(a[1]!, a[2]!, a[3]!, a[4]!, eps));
            return;
        }
        ctx.Emit([0, 1, 2, 3, 4], a =>
        {
            var scale = a[1]! * (a[4]! + eps).Pow(-0.5);
            return a[0]! * scale + (a[2]! - a[3]! * scale);
        });
    }

    /// <summary>
    /// LayerNormalization: normalise over the axes from axis (default −1) to the last, then ·Scale + B (both
    /// broadcast to the normalised shape). Only output 0 (Y) is supported.
    /// </summary>
    private static void LayerNorm(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 3);
        if (ctx.Node.Output.Skip(1).Any(o => o.Length > 0))
            throw ctx.Unsupported("only output 0 (Y) is supported; the Mean and InvStdDev outputs are not");
        var x = ctx.Input(0).Shape;
        if (x.Length == 0) throw ctx.Fail("the input is a scalar; LayerNormalization needs rank ≥ 1");
        int axis = ctx.Axis(ctx.Attributes.Int("axis", -1), x.Length);
        double eps = ctx.Attributes.Float("epsilon", 1e-5f);
        if (!(eps >= 0)) throw ctx.Fail($"epsilon {eps} must not be negative");
        var normalized = x[axis..];
        string[] names = ["", "Scale", "B"];
        for (int i = 1; i <= 2; i++)
        {
            if (!ctx.HasInput(i)) continue;
            var s = ctx.Input(i).Shape;
            if (s.Length > normalized.Length || !ElementwiseHandlers.BroadcastShape(ctx, s, normalized).AsSpan().SequenceEqual(normalized))
                throw ctx.Fail($"{names[i]} of shape {Dims(s)} does not broadcast to the normalised shape {Dims(normalized)}");
        }
        ctx.Emit([0, 1, 2], a => a[0]!.LayerNorm(axis, a[1], a[2], eps));
    }
}
