using NativeCam.Engine;
using NativeCam.Kernels;
using Onnx;
using DT = Onnx.TensorProto.Types.DataType;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Elementwise ONNX ops that are not activations: arithmetic with broadcasting, Pow, Identity, logic (Equal, Not,
/// Where), Mod and Cast. Integer and boolean data known at import is folded here exactly (integer division
/// truncates, types are kept); run-time data is computed with Engine tensor ops.
/// </summary>
internal static class ElementwiseHandlers
{
    public static void Register(RegisterOp add)
    {
        add("Add", Arithmetic((a, b) => a + b, (a, b) => a + b));
        add("Sub", Arithmetic((a, b) => a - b, (a, b) => a - b));
        add("Mul", Arithmetic((a, b) => a * b, (a, b) => a * b));
        add("Div", Arithmetic((a, b) => a / b, (a, b) => b == 0 ? throw new DivideByZeroException() : a / b));
        add("Pow", Pow);
        add("Identity", Identity);
        add("Equal", Equal);
        add("Not", Not);
        add("Where", Where);
        add("Mod", Mod);
        add("Cast", Cast);
    }

    /// <summary>A one-input op computed with tensor ops (folded when the input is known).</summary>
    public static OpHandler Unary(Func<Tensor, Tensor> f) => ctx =>
    {
        ctx.ExpectInputs(1, 1);
        ctx.Emit([0], a => f(a[0]!));
    };

    /// <summary>Identity: the input itself (known data keeps its type).</summary>
    private static void Identity(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        PassThrough(ctx);
    }

    /// <summary>Output 0 is input 0.</summary>
    private static void PassThrough(NodeContext ctx)
    {
        if (ctx.Input(0).Constant is { } c) ctx.SetConstant(0, c);
        else ctx.Emit([0], a => a[0]!);
    }

    // ---------------------------------------------------------------- arithmetic

    /// <summary>Add/Sub/Mul/Div with multidirectional broadcasting; integer data known at import folds exactly.</summary>
    private static OpHandler Arithmetic(Func<Tensor, Tensor, Tensor> f, Func<long, long, long> ints) => ctx =>
    {
        ctx.ExpectInputs(2, 2);
        var shape = BroadcastShape(ctx, ctx.Input(0).Shape, ctx.Input(1).Shape);
        if (ctx.Input(0).Constant is { IsFloat: false } a && ctx.Input(1).Constant is { IsFloat: false } b)
        {
            try { ctx.SetConstant(0, Fold(ctx, [a, b], shape, a.Type, v => ints(v[0], v[1]))); }
            catch (DivideByZeroException) { throw ctx.Fail("integer division by zero"); }
            return;
        }
        ctx.Emit([0, 1], t => f(t[0]!, t[1]!));
    };

    /// <summary>Pow: a known scalar exponent (or one repeated value) → x^p; a known positive base → e^(y·ln b).</summary>
    private static void Pow(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        BroadcastShape(ctx, ctx.Input(0).Shape, ctx.Input(1).Shape);
        var x = ctx.Input(0);
        var y = ctx.Input(1);
        if (x.Constant is { } xc && y.Constant is { } yc)
        {
            var shape = BroadcastShape(ctx, x.Shape, y.Shape);
            ctx.SetConstant(0, xc.IsFloat
                ? FoldFloat(ctx, [xc, yc], shape, v => Math.Pow(v[0], v[1]))
                : Fold(ctx, [xc, yc], shape, xc.Type, v => (long)Math.Pow(v[0], v[1])));
            return;
        }
        if (y.Constant is { } e)
        {
            var p = e.AsDoubles();
            if (p.Length > 0 && p.All(v => v.Equals(p[0])))
            {
                var outShape = BroadcastShape(ctx, x.Shape, y.Shape);
                double exponent = p[0];
                ctx.Emit([0], a => Expand(a[0]!.Pow(exponent), outShape));
                return;
            }
            throw ctx.Unsupported("Pow with an exponent tensor of differing values is not supported (only one exponent for all elements)");
        }
        if (x.Constant is { } b)
        {
            if (b.AsDoubles().Any(v => !(v > 0)))
                throw ctx.Unsupported("Pow with a run-time exponent is only supported for a known positive base");
            ctx.Emit([0, 1], a => (a[1]! * a[0]!.Log()).Exp());
            return;
        }
        throw ctx.Unsupported("Pow with a run-time exponent tensor is not supported (the engine has no elementwise x^y)");
    }

    private static Tensor Expand(Tensor t, int[] shape) => t.Shape.AsSpan().SequenceEqual(shape) ? t : t.BroadcastTo(shape);

    // ---------------------------------------------------------------- logic

    private static void Equal(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        var shape = BroadcastShape(ctx, ctx.Input(0).Shape, ctx.Input(1).Shape);
        if (ctx.Input(0).Constant is { } a && ctx.Input(1).Constant is { } b)
        {
            ctx.SetConstant(0, a.IsFloat || b.IsFloat
                ? FoldCompare(ctx, [a, b], shape, v => v[0] == v[1])
                : Fold(ctx, [a, b], shape, DT.Bool, v => v[0] == v[1] ? 1 : 0));
            return;
        }
        throw ctx.Unsupported("Equal on run-time data is not supported (the engine has no comparison op); only data known at import folds");
    }

    private static void Not(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        if (ctx.Input(0).Constant is { } c)
        {
            ctx.SetConstant(0, Fold(ctx, [c], c.Shape, DT.Bool, v => v[0] == 0 ? 1 : 0));
            return;
        }
        // a run-time 0/1 mask
        ctx.Emit([0], a => 1.0 - a[0]!);
    }

    /// <summary>Where(cond, x, y): folds when all three are known; otherwise selects at run time (cond known or not).</summary>
    private static void Where(NodeContext ctx)
    {
        ctx.ExpectInputs(3, 3);
        var shape = BroadcastShape(ctx, BroadcastShape(ctx, ctx.Input(0).Shape, ctx.Input(1).Shape), ctx.Input(2).Shape);
        if (ctx.Input(0).Constant is { } c && ctx.Input(1).Constant is { } x && ctx.Input(2).Constant is { } y)
        {
            if (x.IsFloat != y.IsFloat) throw ctx.Fail("X and Y have different element types");
            ctx.SetConstant(0, x.IsFloat
                ? FoldFloat(ctx, [c, x, y], shape, v => v[0] != 0 ? v[1] : v[2])
                : Fold(ctx, [c, x, y], shape, x.Type, v => v[0] != 0 ? v[1] : v[2]));
            return;
        }
        ctx.Emit([0, 1, 2], a => Expand(Tensor.Where(a[0]!, a[1]!, a[2]!), shape));
    }

    /// <summary>Mod: folds data known at import (fmod 0: sign of the divisor, integers; fmod 1: C fmod).</summary>
    private static void Mod(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        long fmod = ctx.Attributes.Int("fmod", 0);
        if (fmod is not (0 or 1)) throw ctx.Fail($"fmod {fmod} must be 0 or 1");
        var shape = BroadcastShape(ctx, ctx.Input(0).Shape, ctx.Input(1).Shape);
        if (ctx.Input(0).Constant is not { } a || ctx.Input(1).Constant is not { } b)
            throw ctx.Unsupported("Mod on run-time data is not supported (the engine has no floor/trunc op); only data known at import folds");
        if (a.IsFloat || b.IsFloat)
        {
            if (fmod == 0) throw ctx.Fail("Mod on floating-point data needs fmod 1");
            ctx.SetConstant(0, FoldFloat(ctx, [a, b], shape, v => v[0] % v[1]));
            return;
        }
        try
        {
            ctx.SetConstant(0, Fold(ctx, [a, b], shape, a.Type, v =>
            {
                if (v[1] == 0) throw new DivideByZeroException();
                long r = v[0] % v[1];
                return fmod == 0 && r != 0 && (r < 0) != (v[1] < 0) ? r + v[1] : r;
            }));
        }
        catch (DivideByZeroException) { throw ctx.Fail("integer Mod by zero"); }
    }

    // ---------------------------------------------------------------- Cast

    private static void Cast(NodeContext ctx)
    {
        ctx.ExpectInputs(1, 1);
        long to = ctx.Attributes.Int("to");
        if (!Enum.IsDefined(typeof(DT), (int)to) || to == (long)DT.Undefined) throw ctx.Fail($"'to' {to} is not an ONNX data type");
        var type = (DT)(int)to;
        if (ctx.Input(0).Constant is { } c)
        {
            ctx.SetConstant(0, CastConstant(ctx, c, type));
            return;
        }
        if (type is DT.Float or DT.Double)
        {
            ctx.Emit([0], a => a[0]!); // run-time tensors are already in the engine's float type
            return;
        }
        throw ctx.Unsupported($"Cast of run-time data to {type} is not supported (the engine computes in one float type; only float/double casts are the identity)");
    }

    private static ConstantData CastConstant(NodeContext ctx, ConstantData c, DT to)
    {
        switch (to)
        {
            case DT.Float: return new(c.Shape, to, Array.ConvertAll(c.AsDoubles(), v => (double)(float)v), null);
            case DT.Double: return new(c.Shape, to, c.AsDoubles(), null);
            case DT.Float16: return new(c.Shape, to, Array.ConvertAll(c.AsDoubles(), v => (double)(Half)v), null);
            case DT.Bool: return new(c.Shape, to, null, c.IsFloat ? Array.ConvertAll(c.Floats!, v => v != 0 ? 1L : 0L) : Array.ConvertAll(c.Ints!, v => v != 0 ? 1L : 0L));
        }
        Func<long, long>? wrap = to switch
        {
            DT.Int64 => v => v,
            DT.Int32 => v => unchecked((int)v),
            DT.Int16 => v => unchecked((short)v),
            DT.Int8 => v => unchecked((sbyte)v),
            DT.Uint64 => v => v,
            DT.Uint32 => v => unchecked((uint)v),
            DT.Uint16 => v => unchecked((ushort)v),
            DT.Uint8 => v => unchecked((byte)v),
            _ => null,
        };
        if (wrap is null) throw ctx.Unsupported($"Cast to {to} is not supported");
        long[] ints = c.IsFloat
            ? Array.ConvertAll(c.Floats!, v => double.IsFinite(v) && Math.Abs(v) < 9.2e18
                ? wrap((long)Math.Truncate(v))
                : throw ctx.Fail($"cannot cast {v} to {to}"))
            : Array.ConvertAll(c.Ints!, v => wrap(v));
        return new(c.Shape, to, null, ints);
    }

    // ---------------------------------------------------------------- helpers (shared with the other family files)

    /// <summary>The multidirectional (NumPy) broadcast of two shapes, or a Fail naming both.</summary>
    internal static int[] BroadcastShape(NodeContext ctx, int[] a, int[] b)
    {
        if (!Shapes.TryBroadcast(a, b, out var r))
            throw ctx.Fail($"shapes [{string.Join(", ", a)}] and [{string.Join(", ", b)}] do not broadcast");
        ctx.CheckSize(Shapes.Product(r));
        return r;
    }

    /// <summary>A one-element input known at import, as a double.</summary>
    internal static double ScalarValue(NodeContext ctx, int i, string what)
    {
        var c = ctx.Constant(i, what);
        if (c.Length != 1) throw ctx.Fail($"{what} must be a scalar, has shape [{string.Join(", ", c.Shape)}]");
        return c.AsDoubles()[0];
    }

    /// <summary>For each element of <paramref name="shape"/>, the flat index read from an input of <paramref name="inShape"/>.</summary>
    private static int[] BroadcastIndex(int[] inShape, int[] shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        var map = new int[n];
        int off = shape.Length - inShape.Length;
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = inShape.Length - 1; i >= 0; i--)
        {
            strides[i + off] = inShape[i] == 1 ? 0 : s;
            s *= inShape[i];
        }
        var idx = new int[shape.Length];
        for (long k = 0; k < n; k++)
        {
            int flat = 0;
            for (int i = 0; i < shape.Length; i++) flat += idx[i] * strides[i];
            map[k] = flat;
            for (int i = shape.Length - 1; i >= 0 && ++idx[i] == shape[i]; i--) idx[i] = 0;
        }
        return map;
    }

    /// <summary>Integer folding with broadcasting (inputs read as longs).</summary>
    private static ConstantData Fold(NodeContext ctx, ConstantData[] ins, int[] shape, DT type, Func<long[], long> f)
    {
        var maps = ins.Select(c => BroadcastIndex(c.Shape, shape)).ToArray();
        var vals = ins.Select(c => c.AsLongs()).ToArray();
        var r = new long[maps[0].Length];
        var v = new long[ins.Length];
        for (int k = 0; k < r.Length; k++)
        {
            for (int j = 0; j < ins.Length; j++) v[j] = vals[j][maps[j][k]];
            r[k] = f(v);
        }
        ctx.CheckSize(r.Length);
        return new ConstantData(shape, type, null, r);
    }

    /// <summary>A boolean result of inputs read as doubles (comparisons of floats).</summary>
    private static ConstantData FoldCompare(NodeContext ctx, ConstantData[] ins, int[] shape, Func<double[], bool> f)
    {
        var maps = ins.Select(c => BroadcastIndex(c.Shape, shape)).ToArray();
        var vals = ins.Select(c => c.AsDoubles()).ToArray();
        var r = new long[maps[0].Length];
        var v = new double[ins.Length];
        for (int k = 0; k < r.Length; k++)
        {
            for (int j = 0; j < ins.Length; j++) v[j] = vals[j][maps[j][k]];
            r[k] = f(v) ? 1 : 0;
        }
        ctx.CheckSize(r.Length);
        return new ConstantData(shape, DT.Bool, null, r);
    }

    /// <summary>Float folding with broadcasting.</summary>
    private static ConstantData FoldFloat(NodeContext ctx, ConstantData[] ins, int[] shape, Func<double[], double> f)
    {
        var maps = ins.Select(c => BroadcastIndex(c.Shape, shape)).ToArray();
        var vals = ins.Select(c => c.AsDoubles()).ToArray();
        var r = new double[maps[0].Length];
        var v = new double[ins.Length];
        for (int k = 0; k < r.Length; k++)
        {
            for (int j = 0; j < ins.Length; j++) v[j] = vals[j][maps[j][k]];
            r[k] = f(v);
        }
        var type = ins.FirstOrDefault(c => c.IsFloat)?.Type ?? DT.Float;
        return new ConstantData(shape, type, r, null);
    }
}
