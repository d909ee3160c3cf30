using NativeCam.Engine;
using Onnx;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Ops that make tensors from shapes and indices: ConstantOfShape, Range (both folded: their inputs must be known at
/// import) and ScatterND (folded when everything is known; with run-time data or updates, reduction 'none' only).
/// </summary>
internal static class GeneratorHandlers
{
    public static void Register(RegisterOp add)
    {
        add("ConstantOfShape", ConstantOfShape);
        add("Range", Range);
        add("ScatterND", ScatterND);
    }

    private static void ConstantOfShape(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        var input = ctx.Constant(0, "shape");
        if (input.Shape.Length != 1) throw ctx.Fail($"shape must be 1-D, has shape {LayoutHandlers.Fmt(input.Shape)}");
        var dims = input.AsLongs();
        if (dims.Length > ctx.Options.MaxRank) throw ctx.Fail($"shape has rank {dims.Length}, more than the limit of {ctx.Options.MaxRank}");
        long n = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw ctx.Fail($"shape {LayoutHandlers.Fmt(dims)} has a negative dim");
            n = checked(n * d);
            ctx.CheckSize(n);
        }
        var shape = dims.Select(d => (int)d).ToArray();
        // default value: a float 0
        var t = ctx.Attributes.Tensor("value");
        var v = t is null ? ConstantData.OfFloats([0], [1])
            : new TensorDecoder(ctx.File, ctx.Options).Decode(t, (ctx.Index, ctx.Node.Name, ctx.Node.OpType));
        if (v.Length != 1) throw ctx.Fail($"value must hold one element, has {v.Length}");
        ctx.SetConstant(0, v.IsFloat
            ? new ConstantData(shape, v.Type, Enumerable.Repeat(v.Floats![0], (int)n).ToArray(), null)
            : new ConstantData(shape, v.Type, null, Enumerable.Repeat(v.Ints![0], (int)n).ToArray()));
    }

    private static void Range(NodeContext ctx)
    {
        ctx.ExpectInputs(3, 3);
        var s = ctx.Constant(0, "start");
        var l = ctx.Constant(1, "limit");
        var d = ctx.Constant(2, "delta");
        foreach (var (c, what) in new[] { (s, "start"), (l, "limit"), (d, "delta") })
            if (c.Length != 1) throw ctx.Fail($"{what} must be a scalar, has shape {LayoutHandlers.Fmt(c.Shape)}");
        if (s.IsFloat || l.IsFloat || d.IsFloat)
        {
            double start = s.AsDoubles()[0], limit = l.AsDoubles()[0], delta = d.AsDoubles()[0];
            if (delta == 0 || !double.IsFinite(delta) || !double.IsFinite(start) || !double.IsFinite(limit))
                throw ctx.Fail($"Range({start}, {limit}, {delta}) needs finite values and a non-zero delta");
            double count = Math.Max(Math.Ceiling((limit - start) / delta), 0);
            ctx.CheckSize(count > long.MaxValue ? -1 : (long)count);
            var values = new double[(int)count];
            for (int i = 0; i < values.Length; i++) values[i] = start + i * delta;
            ctx.SetConstant(0, new ConstantData([values.Length], s.Type, values, null));
        }
        else
        {
            long start = s.Ints![0], limit = l.Ints![0], delta = d.Ints![0];
            if (delta == 0) throw ctx.Fail("delta is 0");
            Int128 span = (Int128)limit - start;
            Int128 count = delta > 0 ? (span + delta - 1) / delta : (span + delta + 1) / delta;
            if (count < 0) count = 0;
            ctx.CheckSize(count > long.MaxValue ? -1 : (long)count);
            var values = new long[(int)count];
            for (int i = 0; i < values.Length; i++) values[i] = start + i * delta;
            ctx.SetConstant(0, new ConstantData([values.Length], s.Type, null, values));
        }
    }

    private static void ScatterND(NodeContext ctx)
    {
        ctx.ExpectInputs(3, 3);
        var shape = ctx.Input(0).Shape;
        var indices = ctx.Constant(1, "indices");
        var updShape = ctx.Input(2).Shape;
        // reduction arrived in opset 16 (none, add, mul), max and min in 18
        string reduction = ctx.Opset >= 16 ? ctx.Attributes.String("reduction", "none") : "none";
        if (reduction is not ("none" or "add" or "mul") && !(ctx.Opset >= 18 && reduction is "max" or "min"))
            throw ctx.Fail($"reduction '{reduction}' is not supported by opset {ctx.Opset}");
        int q = indices.Shape.Length;
        if (q < 1) throw ctx.Fail("indices must have rank ≥ 1");
        int k = indices.Shape[q - 1];
        if (k > shape.Length) throw ctx.Fail($"index tuples have {k} entries for data of rank {shape.Length}");
        var expected = indices.Shape.Take(q - 1).Concat(shape.Skip(k)).ToArray();
        if (!expected.SequenceEqual(updShape))
            throw ctx.Fail($"updates have shape {LayoutHandlers.Fmt(updShape)}, expected {LayoutHandlers.Fmt(expected)}");

        // flat offset of every update slice
        int slice = 1;
        for (int i = k; i < shape.Length; i++) slice *= shape[i];
        var idx = indices.AsLongs();
        int tuples = checked((int)Product(indices.Shape.Take(q - 1)));
        var offsets = new int[tuples];
        for (int t = 0; t < tuples; t++)
        {
            long off = 0;
            for (int j = 0; j < k; j++)
            {
                long v = idx[t * k + j];
                if (v < -shape[j] || v >= shape[j]) throw ctx.Fail($"index {v} is out of range for axis {j} of size {shape[j]}");
                off = off * shape[j] + (v < 0 ? v + shape[j] : v);
            }
            offsets[t] = checked((int)(off * slice));
        }

        var data = ctx.Input(0);
        var upd = ctx.Input(2);
        if (data.Constant is { } dc && upd.Constant is { } uc)
        {
            SetFolded(ctx, dc, uc, offsets, slice, reduction);
            return;
        }
        if (reduction != "none") throw ctx.Unsupported($"ScatterND with reduction '{reduction}' on run-time data is not supported");
        // y = gather(concat(flat data, flat updates), map): each position reads the data or the last update written there
        long total = Product(shape);
        var map = new int[total];
        for (int i = 0; i < total; i++) map[i] = i;
        for (int t = 0; t < tuples; t++)
            for (int j = 0; j < slice; j++) map[offsets[t] + j] = checked((int)(total + t * slice + j));
        ctx.Emit([0, 2], a => Tensor.Concat([a[0]!.Reshape(-1), a[1]!.Reshape(-1)], 0).Gather(0, map).Reshape(shape));
    }

    private static long Product(IEnumerable<int> dims)
    {
        long n = 1;
        foreach (int d in dims) n *= d;
        return n;
    }

    private static void SetFolded(NodeContext ctx, ConstantData data, ConstantData upd, int[] offsets, int slice, string reduction)
    {
        if (data.IsFloat)
        {
            var y = (double[])data.Floats!.Clone();
            var u = upd.AsDoubles();
            for (int t = 0; t < offsets.Length; t++)
                for (int j = 0; j < slice; j++)
                {
                    ref double o = ref y[offsets[t] + j];
                    double v = u[t * slice + j];
                    o = reduction switch { "add" => o + v, "mul" => o * v, "max" => Math.Max(o, v), "min" => Math.Min(o, v), _ => v };
                }
            ctx.SetConstant(0, new ConstantData(data.Shape, data.Type, y, null));
        }
        else
        {
            var y = (long[])data.Ints!.Clone();
            var u = upd.AsLongs();
            for (int t = 0; t < offsets.Length; t++)
                for (int j = 0; j < slice; j++)
                {
                    ref long o = ref y[offsets[t] + j];
                    long v = u[t * slice + j];
                    o = reduction switch { "add" => o + v, "mul" => o * v, "max" => Math.Max(o, v), "min" => Math.Min(o, v), _ => v };
                }
            if (data.Type == TensorProto.Types.DataType.Bool)
                for (int i = 0; i < y.Length; i++) y[i] = y[i] != 0 ? 1 : 0;
            ctx.SetConstant(0, new ConstantData(data.Shape, data.Type, null, y));
        }
    }
}
