using NativeCam.Engine;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Shape and layout ops. Shape arithmetic (Shape → Gather → Unsqueeze → Concat → Reshape, as exporters emit)
/// folds to constants at import because every shape is known for the imported input size.
/// </summary>
internal static class ShapeHandlers
{
    public static void Register(RegisterOp add)
    {
        add("Shape", Shape);
        add("Constant", Constant);
        add("Gather", Gather);
        add("Unsqueeze", ctx => Axes(ctx, (x, axes) => x.Unsqueeze(axes), unsqueeze: true));
        add("Squeeze", ctx => Axes(ctx, (x, axes) => x.Squeeze(axes), unsqueeze: false));
        add("Concat", Concat);
        add("Reshape", Reshape);
        add("Flatten", Flatten);
        add("Dropout", Dropout);
    }

    private static void Shape(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        var s = ctx.Input(0).Shape;
        int rank = s.Length;
        long start = ctx.Attributes.Int("start", 0), end = ctx.Attributes.Int("end", rank);
        int lo = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        int hi = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        var dims = s.Skip(lo).Take(Math.Max(0, hi - lo)).Select(d => (long)d).ToArray();
        ctx.SetConstant(0, ConstantData.OfInts(dims, [dims.Length]));
    }

    private static void Constant(NodeContext ctx)
    {
        ctx.ExpectInputs(0, 0);
        var a = ctx.Attributes;
        if (a.Tensor("value") is { } t)
        {
            ctx.SetConstant(0, new TensorDecoder(ctx.File, ctx.Options).Decode(t, (ctx.Index, ctx.Node.Name, ctx.Node.OpType)));
            return;
        }
        if (a.Has("value_float")) { ctx.SetConstant(0, ConstantData.OfFloats([a.Float("value_float", 0)], [])); return; }
        if (a.Floats("value_floats") is { } fs) { ctx.SetConstant(0, ConstantData.OfFloats(fs.Select(v => (double)v).ToArray(), [fs.Length])); return; }
        if (a.Has("value_int")) { ctx.SetConstant(0, ConstantData.OfInts([a.Int("value_int")], [])); return; }
        if (a.Ints("value_ints") is { } ints) { ctx.SetConstant(0, ConstantData.OfInts(ints, [ints.Length])); return; }
        throw ctx.Unsupported("Constant needs one of value, value_float(s), value_int(s)");
    }

    private static void Gather(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        var data = ctx.Input(0).Shape;
        int axis = ctx.Axis(ctx.Attributes.Int("axis", 0), data.Length);
        var idxData = ctx.Constant(1, "indices");
        var idx = idxData.AsLongs().Select(i =>
        {
            if (i < -data[axis] || i >= data[axis]) throw ctx.Fail($"index {i} is out of range for axis {axis} of size {data[axis]}");
            return (int)(i < 0 ? i + data[axis] : i);
        }).ToArray();
        var outShape = data.Take(axis).Concat(idxData.Shape).Concat(data.Skip(axis + 1)).ToArray();
        ctx.Emit([0], a => idxData.Shape.Length == 0 ? a[0]!.Gather(axis, idx[0]) : a[0]!.Gather(axis, idx).Reshape(outShape));
    }

    /// <summary>Unsqueeze/Squeeze: axes are an attribute before opset 13, an input from 13 (optional for Squeeze).</summary>
    private static void Axes(NodeContext ctx, Func<Tensor, int[], Tensor> f, bool unsqueeze)
    {
        ctx.ExpectInputs(1, ctx.Opset >= 13 ? 2 : 1);
        var shape = ctx.Input(0).Shape;
        long[]? raw = ctx.Opset >= 13 ? (ctx.HasInput(1) ? ctx.Ints(1, "axes") : null) : ctx.Attributes.Ints("axes");
        if (unsqueeze && raw is null) throw ctx.Fail("Unsqueeze needs axes");
        int rank = shape.Length + (unsqueeze ? raw!.Length : 0);
        // Squeeze without axes drops every size-1 dim
        var axes = raw?.Select(v => ctx.Axis(v, rank, "axes")).ToArray()
            ?? shape.Select((d, i) => (d, i)).Where(p => p.d == 1).Select(p => p.i).ToArray();
        if (axes.Distinct().Count() != axes.Length) throw ctx.Fail($"axes [{string.Join(", ", raw!)}] repeat an axis");
        if (!unsqueeze && axes.FirstOrDefault(a => shape[a] != 1, -1) is int bad and >= 0)
            throw ctx.Fail($"axis {bad} has size {shape[bad]}, not 1");
        ctx.Emit([0], a => f(a[0]!, axes));
    }

    private static void Concat(NodeContext ctx)
    {
        int n = ctx.InputCount;
        if (n < 1) throw ctx.Fail("Concat needs at least one input");
        int rank = ctx.Input(0).Shape.Length;
        int axis = ctx.Axis(ctx.Attributes.Int("axis"), rank);
        for (int i = 1; i < n; i++)
        {
            var s = ctx.Input(i).Shape;
            var s0 = ctx.Input(0).Shape;
            if (s.Length != rank || Enumerable.Range(0, rank).Any(a => a != axis && s[a] != s0[a]))
                throw ctx.Fail($"input {i} has shape [{string.Join(", ", s)}], which does not join input 0's [{string.Join(", ", s0)}] on axis {axis}");
        }
        ctx.Emit(Enumerable.Range(0, n).ToArray(), a => n == 1 ? a[0]! : Tensor.Concat(a.Select(t => t!).ToArray(), axis));
    }

    private static void Reshape(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        var x = ctx.Input(0).Shape;
        var target = ctx.Ints(1, "shape");
        bool allowZero = ctx.Attributes.Int("allowzero", 0) != 0;
        if (target.Length > ctx.Options.MaxRank) throw ctx.Fail($"target rank {target.Length} exceeds the limit of {ctx.Options.MaxRank}");
        var shape = new long[target.Length];
        int infer = -1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i];
            if (d == 0 && !allowZero)
            {
                if (i >= x.Length) throw ctx.Fail($"target dim {i} is 0 (copy) but the input has rank {x.Length}");
                d = x[i];
            }
            else if (d == -1)
            {
                if (infer >= 0) throw ctx.Fail("the target shape has more than one -1");
                infer = i;
                continue;
            }
            else if (d < 0) throw ctx.Fail($"target dim {i} is {d}; only -1 (infer) may be negative");
            shape[i] = d;
        }
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
            if (i != infer) { known = checked(known * shape[i]); ctx.CheckSize(known); }
        long total = 1;
        foreach (int d in x) total *= d;
        if (infer >= 0)
        {
            if (known == 0 || total % known != 0) throw ctx.Fail($"cannot infer the -1 dim of [{string.Join(", ", target)}] for {total} elements");
            shape[infer] = total / known;
        }
        else if (known != total) throw ctx.Fail($"cannot reshape [{string.Join(", ", x)}] ({total} elements) to [{string.Join(", ", target)}] ({known} elements)");
        var s = shape.Select(v => (int)v).ToArray();
        ctx.Emit([0], a => a[0]!.Reshape(s));
    }

    private static void Flatten(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        int rank = ctx.Input(0).Shape.Length;
        long raw = ctx.Attributes.Int("axis", 1);
        int axis = raw == rank ? rank : ctx.Axis(raw, rank);
        ctx.Emit([0], a => a[0]!.Flatten(axis));
    }

    /// <summary>
    /// Dropout at inference: the identity. training_mode (opset 12+) known true is accepted only with ratio 0 (still the
    /// identity; torchvision's Swin exports that). The optional mask output is all ones (as floats).
    /// </summary>
    private static void Dropout(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 3);
        bool training = ctx.Opset >= 12 && ctx.HasInput(2) && ctx.Constant(2, "training_mode").AsDoubles().FirstOrDefault() != 0;
        double ratio = ctx.HasInput(1) ? ctx.Constant(1, "ratio").AsDoubles().FirstOrDefault() : ctx.Opset < 12 ? ctx.Attributes.Float("ratio", 0.5f) : 0.5;
        if (training && ratio != 0) throw ctx.Unsupported($"Dropout in training mode with ratio {ratio} is random; only inference is supported");
        bool mask = ctx.Node.Output.Count > 1 && ctx.Node.Output[1].Length > 0;
        ctx.Emit([0], a => mask ? [a[0]!, Tensor.Ones(a[0]!.Shape, a[0]!.DType, a[0]!.Backend)] : [a[0]!]);
    }
}
