using NativeCam.Engine;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Reductions. Axes are an attribute before the opset where they became an input (ReduceSum: 13, the others: 18);
/// keepdims defaults to 1; no axes means every axis unless noop_with_empty_axes (input form only) makes it the
/// identity.
/// </summary>
internal static class ReduceHandlers
{
    public static void Register(RegisterOp add)
    {
        add("ReduceMean", ctx => Reduce(ctx, 18, (x, axes, keep) => x.Mean(axes, keep)));
        add("ReduceSum", ctx => Reduce(ctx, 13, (x, axes, keep) => x.Sum(axes, keep)));
        add("ReduceMax", ctx => Reduce(ctx, 18, (x, axes, keep) => x.Max(axes, keep)));
        add("ReduceMin", ctx => Reduce(ctx, 18, (x, axes, keep) => x.Min(axes, keep)));
        add("ReduceSumSquare", ctx => Reduce(ctx, 18, (x, axes, keep) => x.Square().Sum(axes, keep)));
        add("ReduceL1", ctx => Reduce(ctx, 18, (x, axes, keep) => x.Abs().Sum(axes, keep)));
        add("ReduceL2", ctx => Reduce(ctx, 18, (x, axes, keep) => x.Square().Sum(axes, keep).Sqrt()));
    }

    /// <param name="ctx">The node.</param>
    /// <param name="axesInputOpset">The first opset where axes are input 1 rather than an attribute.</param>
    /// <param name="f">The reduction over sorted, distinct, non-negative axes (all of them when reducing everything).</param>
    private static void Reduce(NodeContext ctx, int axesInputOpset, Func<Tensor, int[], bool, Tensor> f)
    {
        bool inputForm = ctx.Opset >= axesInputOpset;
        ctx.ExpectInputs(1, inputForm ? 2 : 1);
        var shape = ctx.Input(0).Shape;
        int rank = shape.Length;
        long keepAttr = ctx.Attributes.Int("keepdims", 1);
        if (keepAttr is not (0 or 1)) throw ctx.Fail($"keepdims {keepAttr} must be 0 or 1");
        bool keep = keepAttr == 1;
        long noopAttr = inputForm ? ctx.Attributes.Int("noop_with_empty_axes", 0) : 0;
        if (noopAttr is not (0 or 1)) throw ctx.Fail($"noop_with_empty_axes {noopAttr} must be 0 or 1");

        long[]? raw = inputForm
            ? ctx.HasInput(1) ? ctx.Ints(1, "axes") : null
            : ctx.Attributes.Ints("axes");
        if (raw is null || raw.Length == 0)
        {
            if (noopAttr == 1)
            {
                if (ctx.Input(0).Constant is { } c) ctx.SetConstant(0, c);
                else ctx.Emit([0], a => a[0]!);
                return;
            }
            raw = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        }
        if (inputForm && ctx.HasInput(1) && ctx.Input(1).Shape.Length > 1)
            throw ctx.Fail($"axes must be 1-D, has shape [{string.Join(", ", ctx.Input(1).Shape)}]");
        var axes = raw.Select(a => ctx.Axis(a, rank, "axes")).ToArray();
        if (axes.Distinct().Count() != axes.Length) throw ctx.Fail($"axes [{string.Join(", ", raw)}] repeat an axis");
        foreach (int a in axes)
            if (shape[a] == 0) throw ctx.Unsupported($"reducing the empty axis {a} is not supported");
        Array.Sort(axes);
        if (axes.Length == 0)
        {
            // a scalar reduced over all (no) axes is itself
            ctx.Emit([0], a => a[0]!);
            return;
        }
        ctx.Emit([0], a => f(a[0]!, axes, keep));
    }
}
