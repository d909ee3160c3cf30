using NativeCam.Engine;
using NativeCam.Importers.Onnx.Optimizer;

namespace NativeCam.Importers.Onnx;

/// <summary>
/// Whether a run-time node keeps batch items apart: each item of its outputs computed from the same item of its
/// inputs alone, so that a batch can run in parts (<see cref="NativeCam.Engine.Graph.Model.BatchCoupling"/>). Decided
/// from the op, its attributes and the shapes of one build of batch ≥ 2 (at batch 1 every rule holds vacuously).
/// Conservative: an op not listed here couples, and so does anything that makes an item's result depend on its
/// position in the batch (a constant with one row per item, an axis-0 slice).
/// </summary>
internal static class BatchCoupling
{
    /// <summary>Ops that map each item to itself whenever every run-time tensor leads with the batch dimension.</summary>
    private static readonly HashSet<string> PerItem =
    [
        "Conv", FusedOps.FusedConv, FusedOps.Silu, "AveragePool", "MaxPool", "GlobalAveragePool", "GlobalMaxPool",
        "BatchNormalization", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Exp", "Log", "Abs", "Neg", "Sqrt", "Reciprocal",
        "Erf", "Gelu", "HardSigmoid", "HardSwish", "Dropout", "Identity", "Cast", "Not", "QLinearConv",
        "QLinearGlobalAveragePool", "Resize",
        // an item's elements stay one contiguous run when the leading dimension is kept (row-major)
        "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Tile",
    ];

    /// <summary>Broadcasting ops: operands of the output's rank are aligned on the batch dimension.</summary>
    private static readonly HashSet<string> Broadcasting = ["Add", "Sub", "Mul", "Div", "Pow", "Mod", "Equal", "Where", "PRelu", "Clip", "Expand", "QLinearAdd", "QLinearMul"];

    /// <summary>Null when the node keeps items apart; else the rule it breaks (for messages and tests).</summary>
    /// <param name="ctx">The node.</param>
    /// <param name="batch">The batch size of this build.</param>
    /// <param name="outputs">Its outputs' shapes (shape inference).</param>
    public static string? Check(NodeContext ctx, int batch, IReadOnlyList<Tensor> outputs)
    {
        var node = ctx.Node;
        string where = $"node '{(string.IsNullOrEmpty(node.Name) ? $"{node.OpType}_{ctx.Index}" : node.Name)}' ({node.OpType})";
        for (int i = 0; i < node.Input.Count; i++)
            if (ctx.HasInput(i) && ctx.Input(i) is { IsConstant: false } v && !Leads(v.Shape, batch))
                return $"{where}: input '{v.Name}' {Dims(v.Shape)} does not lead with the batch dimension {batch}";
        for (int i = 0; i < node.Output.Count && i < outputs.Count; i++)
            if (node.Output[i].Length > 0 && !Leads(outputs[i].Shape, batch))
                return $"{where}: output '{node.Output[i]}' {Dims(outputs[i].Shape)} does not lead with the batch dimension {batch}";
        if (batch < 2) return null;
        string? rule = node.OpType switch
        {
            _ when PerItem.Contains(node.OpType) => null,
            _ when Broadcasting.Contains(node.OpType) => AlignedOperands(ctx, outputs[0].Shape.Length),
            "Softmax" or "LogSoftmax" => AxisNotBatch(ctx, ctx.Attributes.Int("axis", ctx.Opset >= 13 ? -1 : 1), outputs[0].Shape.Length),
            "LayerNormalization" => AxisNotBatch(ctx, ctx.Attributes.Int("axis", -1), outputs[0].Shape.Length),
            "Split" => AxisNotBatch(ctx, ctx.Attributes.Int("axis", 0), outputs[0].Shape.Length),
            "Concat" => AxisNotBatch(ctx, ctx.Attributes.Int("axis", 0), outputs[0].Shape.Length) ?? NoConstantInputs(ctx),
            "Gather" => AxisNotBatch(ctx, ctx.Attributes.Int("axis", 0), ctx.Input(0).Shape.Length)
                        ?? (ctx.Input(1).IsConstant ? null : "the indices are computed at run time"),
            "Transpose" => ctx.Attributes.Ints("perm") is { Length: > 0 } perm ? perm[0] == 0 ? null : "the permutation moves the batch axis"
                           : outputs[0].Shape.Length == 1 ? null : "the default permutation moves the batch axis",
            "Slice" => SliceKeepsBatch(ctx),
            "Pad" => PadKeepsBatch(ctx),
            "ReduceMean" or "ReduceSum" or "ReduceMax" or "ReduceMin" or "ReduceSumSquare" or "ReduceL1" or "ReduceL2" => ReduceKeepsBatch(ctx),
            "QuantizeLinear" or "DequantizeLinear" => ctx.HasInput(1) && ctx.Input(1).Shape.Aggregate(1L, (a, d) => a * d) > 1
                                                          && ctx.Axis(ctx.Attributes.Int("axis", 1), ctx.Input(0).Shape.Length) == 0
                                                          ? "one scale per batch item" : null,
            "MatMul" => MatMulKeepsBatch(ctx, 0, 1),
            "QLinearMatMul" => MatMulKeepsBatch(ctx, 0, 3),
            "Gemm" => GemmKeepsBatch(ctx, 1, 2),
            "QGemm" => GemmKeepsBatch(ctx, 3, 6),
            _ => "the op is not known to keep batch items apart",
        };
        return rule is null ? null : $"{where}: {rule}";
    }

    private static bool Leads(int[] shape, int batch) => shape.Length >= 1 && shape[0] == batch;

    private static string Dims(int[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>Run-time operands of the output's rank (broadcast on the batch axis, item to item); constants of that rank
    /// with one row only (a row per item would make results depend on the position in the batch).</summary>
    private static string? AlignedOperands(NodeContext ctx, int rank)
    {
        for (int i = 0; i < ctx.Node.Input.Count; i++)
        {
            if (!ctx.HasInput(i)) continue;
            var v = ctx.Input(i);
            if (!v.IsConstant && v.Shape.Length != rank) return $"run-time operand '{v.Name}' has rank {v.Shape.Length}, the output {rank}: its batch axis is not aligned";
            if (v.IsConstant && v.Shape.Length == rank && v.Shape[0] != 1) return $"constant operand '{v.Name}' has {v.Shape[0]} rows on the batch axis";
        }
        return null;
    }

    private static string? AxisNotBatch(NodeContext ctx, long axis, int rank) =>
        ctx.Axis(axis, rank) == 0 ? "it works along the batch axis" : null;

    private static string? NoConstantInputs(NodeContext ctx)
    {
        for (int i = 0; i < ctx.Node.Input.Count; i++)
            if (ctx.HasInput(i) && ctx.Input(i).IsConstant) return $"constant input '{ctx.Node.Input[i]}' has a row per batch item";
        return null;
    }

    private static string? SliceKeepsBatch(NodeContext ctx)
    {
        int rank = ctx.Input(0).Shape.Length;
        long[]? axes = ctx.Opset < 10 ? ctx.Attributes.Ints("axes") : ctx.HasInput(3) ? ctx.Input(3).Constant?.AsLongs() ?? [0] : null;
        axes ??= Enumerable.Range(0, (ctx.Opset < 10 ? ctx.Attributes.Ints("starts") : ctx.Input(1).Constant?.AsLongs())?.Length ?? rank).Select(a => (long)a).ToArray();
        return axes.Any(a => ctx.Axis(a, rank, "axes") == 0) ? "it slices the batch axis" : null;
    }

    private static string? PadKeepsBatch(NodeContext ctx)
    {
        int rank = ctx.Input(0).Shape.Length;
        long[]? pads = ctx.Opset < 11 ? ctx.Attributes.Ints("pads") : ctx.HasInput(1) ? ctx.Input(1).Constant?.AsLongs() : null;
        long[] axes = ctx.Opset >= 18 && ctx.HasInput(3)
            ? ctx.Input(3).Constant?.AsLongs() ?? [0]
            : Enumerable.Range(0, rank).Select(a => (long)a).ToArray();
        if (pads is null || pads.Length != 2 * axes.Length) return "its pads are not known at import";
        for (int i = 0; i < axes.Length; i++)
            if (ctx.Axis(axes[i], rank, "axes") == 0 && (pads[i] != 0 || pads[i + axes.Length] != 0)) return "it pads the batch axis";
        return null;
    }

    private static string? ReduceKeepsBatch(NodeContext ctx)
    {
        int rank = ctx.Input(0).Shape.Length;
        bool inputForm = ctx.Opset >= (ctx.Node.OpType == "ReduceSum" ? 13 : 18);
        long[]? axes = inputForm ? ctx.HasInput(1) ? ctx.Input(1).Constant?.AsLongs() ?? [0] : null : ctx.Attributes.Ints("axes");
        if (axes is null || axes.Length == 0)
            return inputForm && ctx.Attributes.Int("noop_with_empty_axes", 0) == 1 ? null : "it reduces every axis, the batch axis too";
        return axes.Any(a => ctx.Axis(a, rank, "axes") == 0) ? "it reduces the batch axis" : null;
    }

    /// <summary>A·B per item: a constant B with a run-time A of rank ≥ 2 (items are rows or a batch axis), or a
    /// batched product (rank ≥ 3) whose batch axis is the items'.</summary>
    private static string? MatMulKeepsBatch(NodeContext ctx, int ia, int ib)
    {
        var a = ctx.Input(ia);
        var b = ctx.Input(ib);
        if (b.IsConstant) return a.Shape.Length >= 2 ? null : "the batch axis is contracted";
        if (a.IsConstant) return b.Shape.Length >= 3 ? null : "the batch axis of B is contracted";
        return a.Shape.Length >= 3 && a.Shape.Length == b.Shape.Length ? null : "two run-time operands that are not batched alike";
    }

    private static string? GemmKeepsBatch(NodeContext ctx, int ib, int ic)
    {
        if (ctx.Attributes.Int("transA", 0) != 0) return "A is transposed: the batch axis is contracted";
        if (!ctx.Input(ib).IsConstant) return "B is computed at run time";
        if (ctx.HasInput(ic) && ctx.Input(ic) is { } c && (!c.IsConstant || c.Shape.Length == 2 && c.Shape[0] != 1))
            return "C has a row per batch item";
        return null;
    }
}
