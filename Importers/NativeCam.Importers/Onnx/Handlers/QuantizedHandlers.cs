using NativeCam.Engine;
using NativeCam.Kernels;
using DT = Onnx.TensorProto.Types.DataType;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// Quantized models (ONNX Runtime's QOperator format, and QDQ graphs) imported as the equivalent FLOAT graph.
/// Convention: a quantized tensor computed at run time is represented by its real value x = (q − zp)·scale; one known
/// at import (weights, biases, constant operands) keeps its integers q and is dequantised by the node that reads it.
/// Rounding to the quantisation grid is dropped, so the graph stays differentiable; the saturation of every quantized
/// output is kept as a clamp to its representable range [(qmin − zp)·scale, (qmax − zp)·scale], with qmin/qmax from
/// the zero point's type (uint8 0..255, int8 −128..127). Scales and zero points must be known at import.
/// This file: QuantizeLinear, DequantizeLinear and the helpers shared with <see cref="QLinearHandlers"/>.
/// </summary>
internal static class QuantizedHandlers
{
    public static void Register(RegisterOp add)
    {
        add("QuantizeLinear", QuantizeLinear);
        add("DequantizeLinear", DequantizeLinear);
        // ONNX Runtime's contrib copies (older quantizer output); same inputs, axis default 1
        add("QuantizeLinear", QuantizeLinear, "com.microsoft");
        add("DequantizeLinear", DequantizeLinear, "com.microsoft");
        QLinearHandlers.Register(add);
    }

    /// <summary>
    /// QuantizeLinear(x, y_scale, y_zero_point?): at run time a clamp to the representable range (no rounding); on
    /// data known at import the true quantized integers saturate(round_half_even(x / scale) + zp).
    /// Defaults: axis 1, zero point 0 of type uint8 (or output_dtype, opset 21), block_size 0 (blocked quantization
    /// is not supported).
    /// </summary>
    private static void QuantizeLinear(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 3);
        NoBlocks(ctx);
        var x = ctx.Input(0);
        long outputDtype = ctx.Attributes.Int("output_dtype", 0);
        DT fallback = outputDtype switch
        {
            0 or (long)DT.Uint8 => DT.Uint8,
            (long)DT.Int8 => DT.Int8,
            _ => throw ctx.Unsupported($"output_dtype {outputDtype} is not supported (uint8 = 2, int8 = 3)"),
        };
        var y = Params(ctx, 1, 2, "y", fallback);
        if (y.Type is not (DT.Uint8 or DT.Int8)) throw ctx.Fail($"the zero point has type {y.Type}; QuantizeLinear produces int8 or uint8");
        if (outputDtype != 0 && ctx.HasInput(2) && (long)y.Type != outputDtype)
            throw ctx.Fail($"output_dtype {outputDtype} differs from the zero point's type {y.Type}");
        var layout = AxisLayout(ctx, y, x.Shape, "y");
        if (x.Constant is { } c)
        {
            ctx.SetConstant(0, new ConstantData(c.Shape, y.Type, null, Quantize(c.AsDoubles(), c.Shape, y, layout)));
            return;
        }
        var range = new OutputRange(y, layout);
        ctx.Emit([0], a => range.Apply(a[0]!));
    }

    /// <summary>
    /// DequantizeLinear(x, x_scale, x_zero_point?): the identity on a run-time tensor (already its real value); the
    /// real values (q − zp)·scale of data known at import. Defaults: axis 1, zero point 0, block_size 0.
    /// </summary>
    private static void DequantizeLinear(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 3);
        NoBlocks(ctx);
        var x = ctx.Input(0);
        if (x.Constant is { IsFloat: true } f)
            throw ctx.Fail($"input 0 has float type {f.Type}; DequantizeLinear reads integers");
        var p = Params(ctx, 1, 2, "x", x.Constant?.Type ?? DT.Uint8);
        if (x.Constant is { } c && ctx.HasInput(2) && c.Type != p.Type)
            throw ctx.Fail($"input 0 has type {c.Type}, its zero point {p.Type}");
        var layout = AxisLayout(ctx, p, x.Shape, "x");
        if (x.Constant is { } q)
        {
            ctx.SetConstant(0, ConstantData.OfFloats(Dequantize(q, p, layout), q.Shape));
            return;
        }
        ctx.Emit([0], a => a[0]!);
    }

    private static void NoBlocks(NodeContext ctx)
    {
        if (ctx.Attributes.Int("block_size", 0) != 0) throw ctx.Unsupported("blocked quantization (block_size ≠ 0) is not supported");
    }

    /// <summary>
    /// The layout of QuantizeLinear/DequantizeLinear parameters: per tensor, or per axis (attribute 'axis', default 1)
    /// from opset 13; a scalar before.
    /// </summary>
    private static int[]? AxisLayout(NodeContext ctx, QParams p, int[] data, string what)
    {
        if (p.IsScalar) return null;
        if (ctx.Node.Domain.Length == 0 && ctx.Opset < 13) throw ctx.Fail($"{what} scale must be a scalar before opset 13 (has {p.Scale.Length} values)");
        if (p.Shape.Length != 1) throw ctx.Fail($"{what} scale must be a scalar or 1-D (per axis), has shape [{string.Join(", ", p.Shape)}]");
        if (data.Length == 0) throw ctx.Fail($"{what} scale has {p.Scale.Length} values for a scalar input");
        return Layout(ctx, p, data, ctx.Axis(ctx.Attributes.Int("axis", 1), data.Length), what);
    }

    // ───────────────────────── shared helpers ─────────────────────────

    /// <summary>
    /// Scale and zero point of one quantized tensor (inputs <paramref name="scale"/>, <paramref name="zeroPoint"/>),
    /// both known at import; without a zero point it is 0 of type <paramref name="fallback"/>.
    /// </summary>
    internal static QParams Params(NodeContext ctx, int scale, int zeroPoint, string what, DT fallback = DT.Uint8)
    {
        var s = ctx.Constant(scale, $"{what} scale");
        if (!s.IsFloat) throw ctx.Fail($"{what} scale has type {s.Type}; it must be a float tensor");
        if (s.Length == 0) throw ctx.Fail($"{what} scale is empty");
        foreach (double v in s.Floats!)
            if (!(v > 0) || !double.IsFinite(v)) throw ctx.Fail($"{what} scale {v} must be positive and finite");
        DT type = fallback;
        long[] zp = new long[s.Length];
        if (ctx.HasInput(zeroPoint))
        {
            var z = ctx.Constant(zeroPoint, $"{what} zero point");
            if (z.IsFloat) throw ctx.Unsupported($"{what} zero point has type {z.Type}; int8, uint8 and int32 quantization are supported");
            type = z.Type;
            if (z.Length != s.Length || (z.Length > 1 && !z.Shape.SequenceEqual(s.Shape)))
                throw ctx.Fail($"{what} zero point shape [{string.Join(", ", z.Shape)}] differs from its scale's [{string.Join(", ", s.Shape)}]");
            zp = z.Ints!;
        }
        var (qmin, qmax) = type switch
        {
            DT.Uint8 => (0L, 255L),
            DT.Int8 => (-128L, 127L),
            DT.Int32 => ((long)int.MinValue, (long)int.MaxValue),
            _ => throw ctx.Unsupported($"{what} zero point has type {type}; int8, uint8 and int32 quantization are supported"),
        };
        foreach (long v in zp)
            if (v < qmin || v > qmax) throw ctx.Fail($"{what} zero point {v} is outside the range of {type}");
        return new QParams(s.Floats!, zp, s.Shape, type, qmin, qmax);
    }

    /// <summary>
    /// How parameters spread over a tensor of shape <paramref name="data"/>: null for one value (per tensor); a 1-D
    /// parameter along <paramref name="axis"/>; else an N-D parameter broadcast (aligned right) onto the data.
    /// Returns the parameter's shape padded to the data's rank.
    /// </summary>
    internal static int[]? Layout(NodeContext ctx, QParams p, int[] data, int? axis, string what)
    {
        if (p.Scale.Length == 1) return null;
        var shape = new int[data.Length];
        Array.Fill(shape, 1);
        if (p.Shape.Length == 1 && axis is { } ax && ax < data.Length)
        {
            if (p.Shape[0] != data[ax])
                throw ctx.Fail($"{what} scale has {p.Shape[0]} values, but axis {ax} of the data has {data[ax]}");
            shape[ax] = p.Shape[0];
            return shape;
        }
        if (p.Shape.Length > data.Length)
            throw ctx.Fail($"{what} scale shape [{string.Join(", ", p.Shape)}] has a higher rank than the data [{string.Join(", ", data)}]");
        for (int i = 0; i < p.Shape.Length; i++)
        {
            int d = data.Length - p.Shape.Length + i;
            if (p.Shape[i] != 1 && p.Shape[i] != data[d])
                throw ctx.Fail($"{what} scale shape [{string.Join(", ", p.Shape)}] does not broadcast onto the data [{string.Join(", ", data)}]");
            shape[d] = p.Shape[i];
        }
        return shape;
    }

    /// <summary>For every element of a tensor shaped <paramref name="data"/>, the index of its parameter.</summary>
    private static int[] ParamIndex(int[] data, int[]? layout)
    {
        long n = 1;
        foreach (int d in data) n *= d;
        var map = new int[n];
        if (layout is null) return map;
        int rank = data.Length;
        var stride = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { stride[d] = layout[d] == 1 ? 0 : s; s *= layout[d]; }
        var idx = new int[rank];
        int p = 0;
        for (long i = 0; i < n; i++)
        {
            map[i] = p;
            for (int d = rank - 1; d >= 0; d--)
            {
                p += stride[d];
                if (++idx[d] < data[d]) break;
                p -= stride[d] * data[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    /// <summary>Real values (q − zp)·scale of integers known at import.</summary>
    internal static double[] Dequantize(ConstantData q, QParams p, int[]? layout)
    {
        var ints = q.AsLongs();
        var map = ParamIndex(q.Shape, layout);
        var r = new double[ints.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (ints[i] - p.ZeroPoint[map[i]]) * p.Scale[map[i]];
        return r;
    }

    /// <summary>Quantized integers saturate(round_half_even(x / scale) + zp) of real values.</summary>
    internal static long[] Quantize(double[] x, int[] shape, QParams p, int[]? layout)
    {
        var map = ParamIndex(shape, layout);
        var q = new long[x.Length];
        for (int i = 0; i < q.Length; i++)
        {
            double v = Math.Round((float)x[i] / (float)p.Scale[map[i]], MidpointRounding.ToEven) + p.ZeroPoint[map[i]];
            q[i] = double.IsNaN(v) ? p.ZeroPoint[map[i]] : (long)Math.Clamp(v, p.QMin, p.QMax);
        }
        return q;
    }

    /// <summary>A quantized input: its real value, known at import (dequantised) or computed at run time.</summary>
    internal static QInput Input(NodeContext ctx, int index, QParams p, int? axis, string what)
    {
        var v = ctx.Input(index);
        if (v.Constant is not { } c) return new QInput(index, null);
        if (c.IsFloat) throw ctx.Fail($"{what} is known at import with float type {c.Type}; a quantized tensor holds integers");
        var layout = Layout(ctx, p, c.Shape, axis, what);
        // the dequantised weights depend on the data and the node alone: builds for other batch sizes share them
        return new QInput(index, ctx.Shared(c, index, () => new ImportTensor(Dequantize(c, p, layout), c.Shape)));
    }

    /// <summary>
    /// The output of a quantized op from the real values of its inputs. <paramref name="compute"/> (Engine tensor ops,
    /// including the output clamp) gets them in the order given. When every input is known at import the result is
    /// folded: quantized with <paramref name="y"/> (the integers, like any known quantized tensor), or kept as floats
    /// when the op's output is float (<paramref name="y"/> null).
    /// </summary>
    internal static void EmitReal(NodeContext ctx, QInput[] inputs, Func<Tensor[], Tensor> compute, QParams? y)
    {
        if (inputs.All(i => i.Known is not null))
        {
            var backend = OnnxImporter.FoldBackend;
            var real = compute(inputs.Select(i => i.Known!.For(DType.Float64, backend)).ToArray());
            var d = real.ToArray();
            ctx.SetConstant(0, y is null ? ConstantData.OfFloats(d, real.Shape)
                : new ConstantData(real.Shape, y.Type, null, Quantize(d, real.Shape, y, y.Scale.Length == 1 ? null : Layout(ctx, y, real.Shape, null, "y"))));
            return;
        }
        // known inputs (dequantised weights, scaled biases) become graph constants named after the node and input
        var runtime = inputs.Where(i => i.Known is null).Select(i => i.Index).ToArray();
        string owner = ctx.Node.Output.FirstOrDefault(o => o.Length > 0) ?? ctx.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var derived = inputs.Where(i => i.Known is not null)
            .Select(i => ($"{owner}/{ctx.Node.Input[i.Index]}:real", i.Known!.Data)).ToArray();
        ctx.Emit(runtime, derived, a =>
        {
            var args = new Tensor[inputs.Length];
            for (int i = 0, r = 0, k = runtime.Length; i < inputs.Length; i++) args[i] = inputs[i].Known is null ? a[r++]! : a[k++]!;
            return compute(args);
        });
    }
}

/// <summary>Scale and zero point of a quantized tensor, and the integer range of its type.</summary>
internal sealed record QParams(double[] Scale, long[] ZeroPoint, int[] Shape, DT Type, long QMin, long QMax)
{
    /// <summary>Real value of the smallest integer, for parameter <paramref name="i"/>.</summary>
    public double Lo(int i = 0) => (QMin - ZeroPoint[i]) * Scale[i];

    /// <summary>Real value of the largest integer.</summary>
    public double Hi(int i = 0) => (QMax - ZeroPoint[i]) * Scale[i];

    /// <summary>True for one scale (per tensor).</summary>
    public bool IsScalar => Scale.Length == 1;
}

/// <summary>A quantized data input of a node: its index, and its dequantised value when known at import.</summary>
internal readonly record struct QInput(int Index, ImportTensor? Known);

/// <summary>
/// Data fixed at import and captured by a node's computation (dequantised weights, scaled biases, clamp bounds):
/// made once per element type and backend, on first use.
/// </summary>
internal sealed class ImportTensor(double[] data, int[] shape)
{
    private readonly Lock _lock = new();
    private readonly List<Tensor> _tensors = []; // one per element type and backend (import's shapes-only one too)
    private ConstantData? _constant;

    /// <summary>The dims.</summary>
    public int[] Shape => shape;

    /// <summary>The values as import data (one object, so that every build that shares this tensor shares its graph
    /// constant too).</summary>
    public ConstantData Data
    {
        get { lock (_lock) return _constant ??= ConstantData.OfFloats(data, shape); }
    }

    /// <summary>This data on the element type and backend of <paramref name="like"/>.</summary>
    public Tensor Like(Tensor like) => For(like.DType, like.Backend);

    /// <summary>This data as a tensor of <paramref name="dtype"/> on <paramref name="backend"/>.</summary>
    public Tensor For(DType dtype, IKernels backend)
    {
        lock (_lock)
        {
            foreach (var t in _tensors)
                if (t.DType == dtype && ReferenceEquals(t.Backend, backend)) return t;
            var made = Tensor.FromDoubles(data, shape, dtype, backend).MarkConstant(); // never written again
            _tensors.Add(made);
            return made;
        }
    }
}

/// <summary>The clamp of a quantized output to its representable range (per tensor, or broadcast per parameter).</summary>
internal sealed class OutputRange
{
    private readonly QParams _p;
    private readonly ImportTensor? _lo, _hi;

    /// <param name="p">The output's scale and zero point.</param>
    /// <param name="layout">From <see cref="QuantizedHandlers.Layout"/> (null: per tensor); else broadcast as given.</param>
    public OutputRange(QParams p, int[]? layout)
    {
        _p = p;
        if (p.IsScalar) return;
        var shape = layout ?? p.Shape;
        _lo = new ImportTensor(Enumerable.Range(0, p.Scale.Length).Select(p.Lo).ToArray(), shape);
        _hi = new ImportTensor(Enumerable.Range(0, p.Scale.Length).Select(p.Hi).ToArray(), shape);
    }

    /// <summary>Per-tensor bounds (valid when the parameters are scalars).</summary>
    public (double Lo, double Hi) Bounds => (_p.Lo(), _p.Hi());

    /// <summary>x clamped to the range.</summary>
    public Tensor Apply(Tensor x) =>
        _lo is null ? x.Clip(_p.Lo(), _p.Hi()) : x.Maximum(_lo.Like(x)).Minimum(_hi!.Like(x));
}
