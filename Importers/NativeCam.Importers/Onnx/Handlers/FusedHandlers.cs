using NativeCam.Engine;
using NativeCam.Engine.Ops;
using NativeCam.Importers.Onnx.Optimizer;
using static NativeCam.Importers.Onnx.Handlers.ElementwiseHandlers;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// The optimizer's fused ops (<see cref="FusedOps"/>): FusedConv (Conv + bias + residual + activation) and Silu.
/// Each also records the source tensors it hides (their shapes and producers), so that the model still describes
/// every tensor of the source graph.
/// </summary>
internal static class FusedHandlers
{
    public static void Register(RegisterOp add)
    {
        add(FusedOps.FusedConv, FusedConv, FusedOps.Domain);
        add(FusedOps.Silu, ctx =>
        {
            Unary(x => x.Silu())(ctx);
            Record(ctx, ctx.OutputShape(0));
        }, FusedOps.Domain);
    }

    private static string Dims(int[] s) => $"[{string.Join(", ", s)}]";

    private static void FusedConv(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 4);
        var x = ctx.Input(0).Shape;
        var w = ctx.Input(1).Shape;
        if (x.Length != 4 || w.Length != 4) throw ctx.Unsupported($"FusedConv needs [N, C, H, W] input and weights, got {Dims(x)} and {Dims(w)}");
        long group = ctx.Attributes.Int("group", 1);
        if (group <= 0 || x[1] % group != 0 || w[0] % group != 0 || w[1] * group != x[1])
            throw ctx.Fail($"group {group} does not fit input {Dims(x)} and weights {Dims(w)}");
        if (ctx.HasInput(2) && (ctx.Input(2).Shape.Length != 1 || ctx.Input(2).Shape[0] != w[0]))
            throw ctx.Fail($"bias shape {Dims(ctx.Input(2).Shape)} does not match {w[0]} output channels");
        var g = ConvPoolHandlers.Geometry(ctx, x, [w[2], w[3]]);
        var options = new Conv2dOptions(g.SH, g.SW, g.Top, g.Left, g.Bottom, g.Right, g.DH, g.DW, (int)group);
        long oh = ((long)x[2] + g.Top + g.Bottom - (long)g.DH * (g.KH - 1) - 1) / g.SH + 1;
        long ow = ((long)x[3] + g.Left + g.Right - (long)g.DW * (g.KW - 1) - 1) / g.SW + 1;
        if (oh <= 0 || ow <= 0) throw ctx.Fail($"the kernel does not fit the padded input {Dims(x)}");
        int[] convShape = [x[0], w[0], (int)oh, (int)ow];
        ctx.CheckSize((long)x[0] * w[0] * oh * ow);
        if (ctx.HasInput(3)) BroadcastShape(ctx, convShape, ctx.Input(3).Shape);

        var p = ctx.Attributes.Tensor("activation_params")?.DoubleData.ToArray() ?? [];
        string name = ctx.Attributes.String("activation", "None");
        var (act, alpha, beta) = name switch
        {
            "None" => (ConvActivation.None, 0.0, 0.0),
            "Relu" => (ConvActivation.Relu, 0.0, 0.0),
            "Clip" when p.Length == 2 => (ConvActivation.Clip, p[0], p[1]),
            "LeakyRelu" when p.Length == 1 => (ConvActivation.LeakyRelu, p[0], 0.0),
            "HardSwish" => (ConvActivation.HardSwish, 0.0, 0.0),
            "Silu" => (ConvActivation.Silu, 0.0, 0.0),
            _ => throw ctx.Fail($"activation '{name}' with {p.Length} parameters is not a fused activation"),
        };
        ctx.Emit([0, 1, 2, 3], a => a[0]!.FusedConv2d(a[1]!, a[2], a[3], options, act, alpha, beta));
        Record(ctx, convShape);
    }

    /// <summary>Registers the hidden source tensors (conv-shaped before a residual, output-shaped after) and the
    /// source op of the output.</summary>
    private static void Record(NodeContext ctx, int[] convShape)
    {
        var a = ctx.Node.Attribute;
        var names = a.FirstOrDefault(x => x.Name == "hidden")?.Strings.Select(s => s.ToStringUtf8()).ToArray() ?? [];
        var ops = a.FirstOrDefault(x => x.Name == "hidden_ops")?.Strings.Select(s => s.ToStringUtf8()).ToArray() ?? [];
        var before = a.FirstOrDefault(x => x.Name == "hidden_before_residual")?.Ints.ToArray() ?? [];
        if (ops.Length != names.Length || before.Length != names.Length) throw ctx.Fail("the fusion record lists different numbers of hidden tensors, ops and flags");
        var output = ctx.OutputShape(0);
        for (int i = 0; i < names.Length; i++) ctx.DefineHidden(names[i], ops[i], before[i] != 0 ? convShape : output);
        if (ctx.Attributes.String("source_op", "") is { Length: > 0 } op) ctx.SetProducer(ctx.Node.Output[0], op);
    }
}
