using NativeCam.Engine;
using static NativeCam.Importers.Onnx.Handlers.ElementwiseHandlers;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>Activations and other one-input math (Relu … Gelu, Exp, Log, Sqrt), PRelu, Clip, Softmax, LogSoftmax.</summary>
internal static class ActivationHandlers
{
    public static void Register(RegisterOp add)
    {
        add("Relu", Unary(x => x.Relu()));
        add("Sigmoid", Unary(x => x.Sigmoid()));
        add("Tanh", Unary(x => x.Tanh()));
        add("Exp", Unary(x => x.Exp()));
        add("Log", Unary(x => x.Log()));
        add("Sqrt", Unary(x => x.Sqrt()));
        add("Erf", Unary(x => x.Erf()));
        add("Neg", Unary(x => -x));
        add("Abs", Unary(x => x.Abs()));
        add("Reciprocal", Unary(x => x.Reciprocal()));
        add("HardSwish", Unary(x => x.HardSwish()));
        add("LeakyRelu", ctx =>
        {
            double alpha = ctx.Attributes.Float("alpha", 0.01f);
            Unary(x => x.LeakyRelu(alpha))(ctx);
        });
        add("HardSigmoid", ctx =>
        {
            double alpha = ctx.Attributes.Float("alpha", 0.2f), beta = ctx.Attributes.Float("beta", 0.5f);
            Unary(x => x.HardSigmoid(alpha, beta))(ctx);
        });
        add("Gelu", Gelu);
        add("PRelu", PRelu);
        add("Clip", Clip);
        add("Softmax", ctx => Softmax(ctx, log: false));
        add("LogSoftmax", ctx => Softmax(ctx, log: true));
    }

    /// <summary>Gelu (opset 20): approximate "none" (erf form) or "tanh".</summary>
    private static void Gelu(NodeContext ctx)
    {
        string approximate = ctx.Attributes.String("approximate", "none");
        bool tanh = approximate switch
        {
            "none" => false,
            "tanh" => true,
            _ => throw ctx.Fail($"approximate '{approximate}' is not 'none' or 'tanh'"),
        };
        Unary(x => x.Gelu(tanh))(ctx);
    }

    /// <summary>PRelu: x for x ≥ 0, slope·x below, the slope broadcast to x (unidirectionally), e.g. [C, 1, 1].</summary>
    private static void PRelu(NodeContext ctx)
    {
        ctx.ExpectInputs(2, 2);
        var x = ctx.Input(0).Shape;
        var s = ctx.Input(1).Shape;
        if (!BroadcastShape(ctx, x, s).AsSpan().SequenceEqual(x))
            throw ctx.Fail($"slope shape [{string.Join(", ", s)}] does not broadcast to the input shape [{string.Join(", ", x)}]");
        // max(0, x) + slope·min(0, x) = relu(x) − slope·relu(−x)
        ctx.Emit([0, 1], a => a[0]!.Relu() - a[1]! * (-a[0]!).Relu());
    }

    /// <summary>Clip: bounds as attributes (opset &lt; 11) or as optional scalar inputs (known at import or not).</summary>
    private static void Clip(NodeContext ctx)
    {
        if (ctx.Opset < 11)
        {
            ctx.ExpectInputs(1, 1);
            double lo = ctx.Attributes.Float("min", float.MinValue), hi = ctx.Attributes.Float("max", float.MaxValue);
            if (double.IsNaN(lo) || double.IsNaN(hi)) throw ctx.Fail("Clip bounds must not be NaN");
            ctx.Emit([0], a => Bound(a[0]!, lo, hi));
            return;
        }
        ctx.ExpectInputs(1, 3);
        for (int i = 1; i <= 2; i++)
            if (ctx.HasInput(i) && ctx.Input(i).Shape.Length != 0 && !(ctx.Input(i).Shape is [1]))
                throw ctx.Fail($"{(i == 1 ? "min" : "max")} must be a scalar, has shape [{string.Join(", ", ctx.Input(i).Shape)}]");
        bool knownBounds = Enumerable.Range(1, 2).All(i => !ctx.HasInput(i) || ctx.Input(i).IsConstant);
        if (knownBounds)
        {
            double lo = ctx.HasInput(1) ? ScalarValue(ctx, 1, "min") : double.NegativeInfinity;
            double hi = ctx.HasInput(2) ? ScalarValue(ctx, 2, "max") : double.PositiveInfinity;
            if (double.IsNaN(lo) || double.IsNaN(hi)) throw ctx.Fail("Clip bounds must not be NaN");
            ctx.Emit([0], a => Bound(a[0]!, lo, hi));
            return;
        }
        // run-time bounds: max(x, lo) then min(·, hi) (min > max gives max, as ONNX says)
        ctx.Emit([0, 1, 2], a =>
        {
            var y = a[0]!;
            if (a[1] is { } lo) y = y.Maximum(lo.Reshape([]));
            if (a[2] is { } hi) y = y.Minimum(hi.Reshape([]));
            return y;
        });
    }

    /// <summary>min(max(x, lo), hi); when lo &gt; hi every element becomes hi (ONNX).</summary>
    private static Tensor Bound(Tensor x, double lo, double hi) => lo > hi ? x.Clip(hi, hi) : x.Clip(lo, hi);

    /// <summary>
    /// Softmax and LogSoftmax. Opset &lt; 13: the input is coerced to 2-D at axis (default 1) and normalised over the
    /// flattened trailing dims. Opset ≥ 13: over one axis (default −1).
    /// </summary>
    private static void Softmax(NodeContext ctx, bool log)
    {
        ctx.ExpectInputs(1, 1);
        var shape = ctx.Input(0).Shape;
        int rank = shape.Length;
        if (ctx.Opset >= 13)
        {
            if (rank == 0) throw ctx.Fail("the input is a scalar; Softmax needs rank ≥ 1");
            int axis = ctx.Axis(ctx.Attributes.Int("axis", -1), rank);
            ctx.Emit([0], a => log ? a[0]!.LogSoftmax(axis) : a[0]!.Softmax(axis));
            return;
        }
        if (rank == 0) throw ctx.Fail("the input is a scalar; Softmax needs rank ≥ 1");
        int ax = ctx.Axis(ctx.Attributes.Int("axis", 1), rank);
        int outer = 1, inner = 1;
        for (int i = 0; i < rank; i++)
            if (i < ax) outer *= shape[i];
            else inner *= shape[i];
        ctx.Emit([0], a =>
        {
            var flat = a[0]!.Reshape(outer, inner);
            return (log ? flat.LogSoftmax(1) : flat.Softmax(1)).Reshape(shape);
        });
    }
}
