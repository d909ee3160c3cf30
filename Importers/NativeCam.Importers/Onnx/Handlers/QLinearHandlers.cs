using NativeCam.Engine;
using NativeCam.Kernels;
using DT = Onnx.TensorProto.Types.DataType;
using static NativeCam.Importers.Onnx.Handlers.QuantizedHandlers;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>
/// The QOperator ops (QLinearConv, QLinearMatMul; com.microsoft QLinearAdd, QLinearMul, QLinearGlobalAveragePool,
/// QGemm) as their float ops on real values, each followed by the clamp to its output's representable range (see
/// <see cref="QuantizedHandlers"/> for the convention). Registered by <see cref="QuantizedHandlers.Register"/>.
/// </summary>
internal static class QLinearHandlers
{
    private const string Ms = "com.microsoft";

    public static void Register(RegisterOp add)
    {
        add("QLinearConv", QLinearConv);
        add("QLinearMatMul", QLinearMatMul);
        add("QLinearAdd", ctx => Binary(ctx, (a, b) => a + b), Ms);
        add("QLinearMul", ctx => Binary(ctx, (a, b) => a * b), Ms);
        add("QLinearGlobalAveragePool", QLinearGlobalAveragePool, Ms);
        add("QGemm", QGemm, Ms);
    }

    private static string Dims(int[] s) => $"[{string.Join(", ", s)}]";

    /// <summary>Parameters that must be one value (per tensor).</summary>
    private static QParams Scalar(NodeContext ctx, QParams p, string what) =>
        p.IsScalar ? p : throw ctx.Fail($"{what} scale and zero point must be scalars (per tensor), have {p.Scale.Length} values");

    /// <summary>The type of the first zero point (or integer data known at import) among the inputs; else uint8.</summary>
    private static DT TypeHint(NodeContext ctx, params int[] inputs)
    {
        foreach (int i in inputs)
            if (ctx.HasInput(i) && ctx.Input(i).Constant is { IsFloat: false } c) return c.Type;
        return DT.Uint8;
    }

    /// <summary>
    /// QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B?): conv with weights dequantised per output
    /// channel (w_scale scalar or [M]), the int32 bias scaled by x_scale·w_scale[m], then the clamp to the output's
    /// range as the conv's fused activation. Conv attribute defaults (group 1, strides/dilations 1, pads 0, auto_pad
    /// NOTSET) as in <see cref="ConvPoolHandlers.Geometry"/>.
    /// </summary>
    private static void QLinearConv(NodeContext ctx)
    {
        ctx.ExpectInputs(8, 9);
        var x = ctx.Input(0).Shape;
        var w = ctx.Input(3).Shape;
        if (x.Length != 4) throw ctx.Unsupported($"only 2-D convolutions of [N, C, H, W] inputs are supported; input 0 has shape {Dims(x)}");
        if (w.Length != 4) throw ctx.Fail($"weights have rank {w.Length}, the input rank 4");
        long group = ctx.Attributes.Int("group", 1);
        if (group <= 0) throw ctx.Fail($"group {group} must be positive");
        if (x[1] % group != 0 || w[0] % group != 0) throw ctx.Fail($"group {group} does not divide the input channels {x[1]} and output channels {w[0]}");
        if (w[1] * group != x[1]) throw ctx.Fail($"weights expect {w[1]}×{group} input channels, the input has {x[1]}");
        var g = ConvPoolHandlers.Geometry(ctx, x, [w[2], w[3]]);
        if (x[2] + g.Top + g.Bottom < g.DH * (g.KH - 1) + 1 || x[3] + g.Left + g.Right < g.DW * (g.KW - 1) + 1)
            throw ctx.Fail($"the kernel ({g.KH}×{g.KW}, dilation {g.DH}×{g.DW}) does not fit the padded input {x[2]}×{x[3]}");

        var xq = Scalar(ctx, Params(ctx, 1, 2, "x", TypeHint(ctx, 0)), "x");
        var wq = Params(ctx, 4, 5, "w", TypeHint(ctx, 3));
        if (!wq.IsScalar && (wq.Shape.Length != 1 || wq.Shape[0] != w[0]))
            throw ctx.Fail($"w scale has shape {Dims(wq.Shape)}; it must be a scalar or hold one value per output channel ({w[0]})");
        var yq = Scalar(ctx, Params(ctx, 6, 7, "y", TypeHint(ctx, 7, 2, 0)), "y");

        ImportTensor? bias = null;
        if (ctx.HasInput(8))
        {
            var b = ctx.Constant(8, "bias");
            if (b.IsFloat) throw ctx.Fail($"bias has type {b.Type}; QLinearConv's bias is int32");
            if (b.Shape.Length != 1 || b.Shape[0] != w[0]) throw ctx.Fail($"bias shape {Dims(b.Shape)} does not match {w[0]} output channels");
            var ints = b.AsLongs();
            bias = new ImportTensor(ints.Select((v, m) => v * xq.Scale[0] * wq.Scale[wq.IsScalar ? 0 : m]).ToArray(), [w[0]]);
        }

        var options = new Conv2dOptions(g.SH, g.SW, g.Top, g.Left, g.Bottom, g.Right, g.DH, g.DW, (int)group,
            FusedActivation.Clip, yq.Lo(), yq.Hi());
        QInput[] inputs = bias is null ? [Input(ctx, 0, xq, null, "x"), Input(ctx, 3, wq, 0, "w")]
            : [Input(ctx, 0, xq, null, "x"), Input(ctx, 3, wq, 0, "w"), new QInput(8, bias)];
        EmitReal(ctx, inputs, a => a[0].Conv2d(a[1], a.Length > 2 ? a[2] : null, options), yq);
    }

    /// <summary>
    /// QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp): MatMul of the real values (a's parameters per
    /// tensor or per row, b's per tensor or per column), then the clamp to the output's range (per tensor or per
    /// column).
    /// </summary>
    private static void QLinearMatMul(NodeContext ctx)
    {
        ctx.ExpectInputs(8, 8);
        var a = ctx.Input(0).Shape;
        var b = ctx.Input(3).Shape;
        if (a.Length == 0 || b.Length == 0) throw ctx.Fail($"MatMul of a scalar ({Dims(a)} · {Dims(b)})");
        int k = a[^1], kb = b.Length == 1 ? b[0] : b[^2];
        if (k != kb) throw ctx.Fail($"inner dims differ: a {Dims(a)}, b {Dims(b)}");
        var aq = Params(ctx, 1, 2, "a", TypeHint(ctx, 0));
        var bq = Params(ctx, 4, 5, "b", TypeHint(ctx, 3));
        var yq = Params(ctx, 6, 7, "y", TypeHint(ctx, 7, 2, 0));
        int n = b.Length == 1 ? 1 : b[^1];
        if (!yq.IsScalar && (yq.Shape.Length != 1 || yq.Shape[0] != n))
            throw ctx.Fail($"y scale has shape {Dims(yq.Shape)}; it must be a scalar or hold one value per column ({n})");
        var range = new OutputRange(yq, null);
        EmitReal(ctx, [Input(ctx, 0, aq, a.Length >= 2 ? a.Length - 2 : null, "a"), Input(ctx, 3, bq, b.Length - 1, "b")],
            t => range.Apply(t[0].MatMul(t[1])), yq);
    }

    /// <summary>
    /// com.microsoft QLinearAdd / QLinearMul(A, A_scale, A_zp?, B, B_scale, B_zp?, C_scale, C_zp?): the op on the
    /// real values with broadcasting, then the clamp to C's range. Parameters per tensor; zero points default to 0.
    /// </summary>
    private static void Binary(NodeContext ctx, Func<Tensor, Tensor, Tensor> op)
    {
        ctx.ExpectInputs(7, 8);
        var aq = Scalar(ctx, Params(ctx, 1, 2, "A", TypeHint(ctx, 0, 5, 7)), "A");
        var bq = Scalar(ctx, Params(ctx, 4, 5, "B", TypeHint(ctx, 3, 2, 7)), "B");
        var cq = Scalar(ctx, Params(ctx, 6, 7, "C", TypeHint(ctx, 2, 5, 0, 3)), "C");
        var range = new OutputRange(cq, null);
        EmitReal(ctx, [Input(ctx, 0, aq, null, "A"), Input(ctx, 3, bq, null, "B")], t => range.Apply(op(t[0], t[1])), cq);
    }

    /// <summary>
    /// com.microsoft QLinearGlobalAveragePool(X, x_scale, x_zp?, y_scale, y_zp?): the mean over the spatial axes
    /// (kept as size-1 dims), then the clamp to y's range. Attribute channels_last (default 0: [N, C, spatial...];
    /// 1: [N, spatial..., C]).
    /// </summary>
    private static void QLinearGlobalAveragePool(NodeContext ctx)
    {
        ctx.ExpectInputs(4, 5);
        var x = ctx.Input(0).Shape;
        if (x.Length < 3) throw ctx.Fail($"input shape {Dims(x)} has no spatial axes (rank below 3)");
        long channelsLast = ctx.Attributes.Int("channels_last", 0);
        if (channelsLast is not (0 or 1)) throw ctx.Fail($"channels_last {channelsLast} must be 0 or 1");
        var xq = Scalar(ctx, Params(ctx, 1, 2, "x", TypeHint(ctx, 0, 4)), "x");
        var yq = Scalar(ctx, Params(ctx, 3, 4, "y", TypeHint(ctx, 4, 2, 0)), "y");
        var range = new OutputRange(yq, null);
        var axes = Enumerable.Range(channelsLast == 1 ? 1 : 2, x.Length - 2).ToArray();
        EmitReal(ctx, [Input(ctx, 0, xq, null, "x")], t => range.Apply(t[0].Mean(axes, keepDims: true)), yq);
    }

    /// <summary>
    /// com.microsoft QGemm(A, a_scale, a_zp, B, b_scale, b_zp, C?, y_scale?, y_zp?): alpha·op(A)·op(B) on the real
    /// values (b per tensor or per output column), plus the int32 C scaled by alpha·a_scale·b_scale[n] (ONNX Runtime
    /// adds C to the integer accumulator before scaling). With y_scale and y_zero_point the output is quantized
    /// (clamped to its range); without them it is float. Defaults: alpha 1, transA 0, transB 0.
    /// </summary>
    private static void QGemm(NodeContext ctx)
    {
        ctx.ExpectInputs(6, 9);
        double alpha = ctx.Attributes.Float("alpha", 1f);
        bool ta = ctx.Attributes.Int("transA", 0) != 0, tb = ctx.Attributes.Int("transB", 0) != 0;
        var a = ctx.Input(0).Shape;
        var b = ctx.Input(3).Shape;
        if (a.Length != 2 || b.Length != 2) throw ctx.Fail($"QGemm needs 2-D A and B, got {Dims(a)} and {Dims(b)}");
        int m = ta ? a[1] : a[0], k = ta ? a[0] : a[1], kb = tb ? b[1] : b[0], n = tb ? b[0] : b[1];
        if (k != kb) throw ctx.Fail($"inner dims differ: op(A) is {m}×{k}, op(B) {kb}×{n}");
        var aq = Scalar(ctx, Params(ctx, 1, 2, "a", TypeHint(ctx, 0)), "a");
        var bq = Params(ctx, 4, 5, "b", TypeHint(ctx, 3));
        if (!bq.IsScalar && (bq.Shape.Length != 1 || bq.Shape[0] != n))
            throw ctx.Fail($"b scale has shape {Dims(bq.Shape)}; it must be a scalar or hold one value per output column ({n})");

        QParams? yq = null;
        if (ctx.HasInput(7) != ctx.HasInput(8))
        {
            if (ctx.HasInput(8)) throw ctx.Fail("y_zero_point is given without y_scale");
            throw ctx.Unsupported("y_scale without y_zero_point is not supported (give both for a quantized output, neither for a float one)");
        }
        if (ctx.HasInput(7)) yq = Scalar(ctx, Params(ctx, 7, 8, "y", TypeHint(ctx, 8, 2)), "y");

        ImportTensor? c = null;
        if (ctx.HasInput(6))
        {
            var cd = ctx.Constant(6, "C");
            if (cd.IsFloat) throw ctx.Fail($"C has type {cd.Type}; QGemm's C is int32");
            var s = cd.Shape;
            bool ok = cd.Length == 1 || (s.Length == 1 && s[0] == n) || (s.Length == 2 && (s[0] == 1 || s[0] == m) && (s[1] == 1 || s[1] == n));
            if (!ok) throw ctx.Fail($"C shape {Dims(s)} does not broadcast to {m}×{n}");
            // per-column scales need C spread over the columns: shape [rows of C, n]
            int rows = s.Length == 2 ? s[0] : 1;
            bool perColumn = !bq.IsScalar;
            int cols = perColumn ? n : (s.Length == 0 ? 1 : s[^1]);
            var ints = cd.AsLongs();
            var real = new double[rows * cols];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++)
                {
                    int srcCol = (s.Length == 0 ? 1 : s[^1]) == 1 ? 0 : j;
                    int src = ints.Length == 1 ? 0 : r * (s.Length == 0 ? 1 : s[^1]) + srcCol;
                    real[r * cols + j] = ints[src] * alpha * aq.Scale[0] * bq.Scale[perColumn ? j : 0];
                }
            c = new ImportTensor(real, s.Length == 2 ? [rows, cols] : [cols]);
        }

        var range = yq is null ? null : new OutputRange(yq, null);
        QInput[] inputs = c is null ? [Input(ctx, 0, aq, null, "A"), Input(ctx, 3, bq, tb ? 0 : 1, "B")]
            : [Input(ctx, 0, aq, null, "A"), Input(ctx, 3, bq, tb ? 0 : 1, "B"), new QInput(6, c)];
        EmitReal(ctx, inputs, t =>
        {
            var y = Tensor.Gemm(t[0], t[1], t.Length > 2 ? t[2] : null, alpha, 1, ta, tb);
            return range?.Apply(y) ?? y;
        }, yq);
    }
}
