using NativeCam.Engine;
using NativeCam.Kernels;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Layout ops that move or copy elements: Transpose, Slice, Split, Pad, Expand, Tile. Indices, pads, shapes and
/// repeats must be known at import; the data may be known (then the op folds) or computed at run time.
/// </summary>
internal static class LayoutHandlers
{
    public static void Register(RegisterOp add)
    {
        add("Transpose", Transpose);
        add("Slice", Slice);
        add("Split", Split);
        add("Pad", Pad);
        add("Expand", Expand);
        add("Tile", Tile);
    }

    internal static string Fmt<T>(IEnumerable<T> v) => "[" + string.Join(", ", v) + "]";

    /// <summary>Clamps an ONNX int64 index to int (Slice ends such as INT64_MAX keep their meaning after clamping).</summary>
    private static int ClampInt(long v) => (int)Math.Clamp(v, int.MinValue, int.MaxValue);

    /// <summary>Normalises a list of axes against <paramref name="rank"/>, failing on repeats.</summary>
    internal static int[] DistinctAxes(NodeContext ctx, long[] axes, int rank, string what = "axes")
    {
        var r = axes.Select(a => ctx.Axis(a, rank, what)).ToArray();
        if (r.Distinct().Count() != r.Length) throw ctx.Fail($"{what} {Fmt(axes)} repeat an axis");
        return r;
    }

    private static void Transpose(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        int rank = ctx.Input(0).Shape.Length;
        // default perm: the axes reversed
        var perm = ctx.Attributes.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(a => (long)a).ToArray();
        if (perm.Length != rank) throw ctx.Fail($"perm {Fmt(perm)} has {perm.Length} entries for rank {rank}");
        var seen = new bool[rank];
        foreach (long p in perm)
        {
            if (p < 0 || p >= rank || seen[p]) throw ctx.Fail($"perm {Fmt(perm)} is not a permutation of 0..{rank - 1}");
            seen[p] = true;
        }
        var pi = perm.Select(p => (int)p).ToArray();
        ctx.Emit([0], a => a[0]!.Permute(pi));
    }

    private static void Slice(NodeContext ctx)
    {
        int rank = ctx.Input(0).Shape.Length;
        long[] starts, ends;
        long[]? axes, steps = null;
        if (ctx.Opset < 10)
        {
            // opset 1: starts, ends, axes are attributes; no steps
            ctx.ExpectInputs(1, 1);
            starts = ctx.Attributes.Ints("starts") ?? throw ctx.Fail("required attribute 'starts' is missing");
            ends = ctx.Attributes.Ints("ends") ?? throw ctx.Fail("required attribute 'ends' is missing");
            axes = ctx.Attributes.Ints("axes");
        }
        else
        {
            // opset 10+: starts, ends, [axes], [steps] are inputs
            ctx.ExpectInputs(3, 5);
            starts = ctx.Ints(1, "starts");
            ends = ctx.Ints(2, "ends");
            axes = ctx.HasInput(3) ? ctx.Ints(3, "axes") : null;
            steps = ctx.HasInput(4) ? ctx.Ints(4, "steps") : null;
        }
        int n = starts.Length;
        if (ends.Length != n) throw ctx.Fail($"starts has {n} values, ends {ends.Length}");
        if (axes is not null && axes.Length != n) throw ctx.Fail($"axes has {axes.Length} values, starts {n}");
        if (steps is not null && steps.Length != n) throw ctx.Fail($"steps has {steps.Length} values, starts {n}");
        if (steps is not null && steps.Any(s => s == 0)) throw ctx.Fail($"steps {Fmt(steps)} contain 0");
        var ax = DistinctAxes(ctx, axes ?? Enumerable.Range(0, n).Select(a => (long)a).ToArray(), rank);
        var st = starts.Select(ClampInt).ToArray();
        var en = ends.Select(ClampInt).ToArray();
        var sp = (steps ?? Enumerable.Repeat(1L, n).ToArray()).Select(ClampInt).ToArray();
        ctx.Emit([0], a => a[0]!.Slice(st, en, ax, sp));
    }

    private static void Split(NodeContext ctx)
    {
        ctx.ExpectInputs(1, ctx.Opset < 13 ? 1 : 2);
        var shape = ctx.Input(0).Shape;
        int axis = ctx.Axis(ctx.Attributes.Int("axis", 0), shape.Length);
        int dim = shape[axis], outputs = ctx.Node.Output.Count;
        if (outputs < 1) throw ctx.Fail("Split has no outputs");
        // the sizes: attribute 'split' before opset 13, input 'split' from 13; opset 18 adds 'num_outputs'
        long[]? split = ctx.Opset < 13 ? ctx.Attributes.Ints("split") : ctx.HasInput(1) ? ctx.Ints(1, "split") : null;
        int[] sizes;
        if (split is not null)
        {
            if (ctx.Opset >= 18 && ctx.Attributes.Has("num_outputs")) throw ctx.Fail("give either the split input or num_outputs, not both");
            if (split.Length != outputs) throw ctx.Fail($"split {Fmt(split)} has {split.Length} sizes for {outputs} outputs");
            if (split.Any(s => s < 0) || split.Sum() != dim) throw ctx.Fail($"split {Fmt(split)} does not add up to dim {dim} of axis {axis}");
            sizes = split.Select(s => (int)s).ToArray();
        }
        else if (ctx.Opset >= 18 && ctx.Attributes.Has("num_outputs"))
        {
            long k = ctx.Attributes.Int("num_outputs");
            if (k != outputs) throw ctx.Fail($"num_outputs {k} differs from the {outputs} outputs");
            // chunks of ceil(dim / k); the last may be smaller
            int chunk = (dim + outputs - 1) / outputs;
            int last = dim - chunk * (outputs - 1);
            if (last < 0) throw ctx.Fail($"dim {dim} of axis {axis} cannot be split into {outputs} chunks of {chunk}");
            sizes = Enumerable.Repeat(chunk, outputs - 1).Append(last).ToArray();
        }
        else
        {
            // default: equal parts, one per output
            if (dim % outputs != 0) throw ctx.Fail($"dim {dim} of axis {axis} does not split evenly into {outputs} outputs");
            sizes = Enumerable.Repeat(dim / outputs, outputs).ToArray();
        }
        ctx.Emit([0], a => a[0]!.Split(axis, sizes));
    }

    private static void Pad(NodeContext ctx)
    {
        var shape = ctx.Input(0).Shape;
        int rank = shape.Length;
        string modeName = ctx.Attributes.String("mode", "constant");
        var mode = modeName switch
        {
            "constant" => PadMode.Constant,
            "reflect" => PadMode.Reflect,
            "edge" => PadMode.Edge,
            "wrap" when ctx.Opset >= 19 => PadMode.Wrap,
            _ => throw ctx.Fail($"mode '{modeName}' is not one of constant, reflect, edge{(ctx.Opset >= 19 ? ", wrap" : "")}"),
        };
        long[] pads;
        double value = 0;
        long[]? axes = null;
        if (ctx.Opset < 11)
        {
            // pads and value are attributes
            ctx.ExpectInputs(1, 1);
            pads = ctx.Attributes.Ints("pads") ?? throw ctx.Fail("required attribute 'pads' is missing");
            value = ctx.Attributes.Float("value", 0f);
        }
        else
        {
            // pads, [constant_value] are inputs; opset 18 adds [axes]
            ctx.ExpectInputs(2, ctx.Opset >= 18 ? 4 : 3);
            pads = ctx.Ints(1, "pads");
            if (ctx.HasInput(2))
            {
                var c = ctx.Constant(2, "constant_value");
                if (c.Length != 1) throw ctx.Fail($"constant_value must be a scalar, has shape {Fmt(c.Shape)}");
                value = c.AsDoubles()[0];
            }
            if (ctx.Opset >= 18 && ctx.HasInput(3)) axes = ctx.Ints(3, "axes");
        }
        var ax = axes is null ? Enumerable.Range(0, rank).ToArray() : DistinctAxes(ctx, axes, rank);
        if (pads.Length != 2 * ax.Length)
            throw ctx.Fail($"pads {Fmt(pads)} has {pads.Length} values; {ax.Length} axes need {2 * ax.Length} (begins then ends)");
        var full = new int[2 * rank];
        long total = 1;
        for (int i = 0; i < ax.Length; i++)
        {
            long b = pads[i], e = pads[i + ax.Length], d = shape[ax[i]] + b + e;
            if (d < 0 || (mode != PadMode.Constant && b + e > 0 && shape[ax[i]] == 0))
                throw ctx.Fail($"pads {Fmt(pads)} do not fit dim {shape[ax[i]]} of axis {ax[i]}");
            ctx.CheckSize(d);
            full[ax[i]] = (int)b;
            full[ax[i] + rank] = (int)e;
        }
        for (int a = 0; a < rank; a++) total = checked(total * (shape[a] + full[a] + full[a + rank]));
        ctx.CheckSize(total);
        ctx.Emit([0], a => a[0]!.Pad(full, mode, value));
    }

    /// <summary>Numpy broadcasting of two shapes, or null when they do not broadcast (or a dim is out of range).</summary>
    internal static int[]? BroadcastShape(int[] a, long[] b) =>
        b.All(d => d is >= 0 and <= int.MaxValue) && Shapes.TryBroadcast(a, Array.ConvertAll(b, d => (int)d), out var r) ? r : null;

    private static void Expand(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        var x = ctx.Input(0).Shape;
        var target = ctx.Ints(1, "shape");
        if (ctx.Constant(1, "shape").Shape.Length != 1) throw ctx.Fail("shape must be 1-D");
        if (target.Length > ctx.Options.MaxRank) throw ctx.Fail($"shape {Fmt(target)} has rank {target.Length}, more than the limit of {ctx.Options.MaxRank}");
        // bidirectional broadcast: a target dim of 1 keeps the input dim
        var outShape = BroadcastShape(x, target) ?? throw ctx.Fail($"input shape {Fmt(x)} does not broadcast with {Fmt(target)}");
        long n = 1;
        foreach (int d in outShape) { n = checked(n * d); ctx.CheckSize(n); }
        ctx.Emit([0], a => a[0]!.Reshape(Enumerable.Repeat(1, outShape.Length - x.Length).Concat(x).ToArray()).BroadcastTo(outShape));
    }

    private static void Tile(NodeContext ctx)
    {
        if (ctx.Opset < 6) throw ctx.Unsupported("Tile before opset 6 (tiles and axis inputs) is not supported");
        ctx.ExpectInputs(2, 2);
        var x = ctx.Input(0).Shape;
        var repeats = ctx.Ints(1, "repeats");
        if (repeats.Length != x.Length) throw ctx.Fail($"repeats {Fmt(repeats)} has {repeats.Length} values for rank {x.Length}");
        if (repeats.Any(r => r < 0)) throw ctx.Fail($"repeats {Fmt(repeats)} must not be negative");
        long n = 1;
        for (int a = 0; a < x.Length; a++) { n = checked(n * x[a] * repeats[a]); ctx.CheckSize(n); }
        // each tiled axis is one gather of 0..d−1 repeated
        var plan = new List<(int Axis, int[] Index)>();
        for (int a = 0; a < x.Length; a++)
            if (repeats[a] != 1)
                plan.Add((a, Enumerable.Range(0, (int)repeats[a]).SelectMany(_ => Enumerable.Range(0, x[a])).ToArray()));
        ctx.Emit([0], a =>
        {
            var y = a[0]!;
            foreach (var (axis, index) in plan) y = y.Gather(axis, index);
            return y;
        });
    }
}
