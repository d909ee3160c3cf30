using NativeCam.Engine;

namespace NativeCam.Importers.Onnx.Handlers;

/// <summary>Elementwise ONNX ops: arithmetic with broadcasting and activations.</summary>
internal static class ElementwiseHandlers
{
    public static void Register(RegisterOp add)
    {
        add("Add", Binary((a, b) => a + b));
        add("Sub", Binary((a, b) => a - b));
        add("Mul", Binary((a, b) => a * b));
        add("Div", Binary((a, b) => a / b));
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
        add("Identity", Unary(x => x));
        add("Clip", Clip);
        add("LeakyRelu", ctx => { double a = ctx.Attributes.Float("alpha", 0.01f); Unary(x => x.LeakyRelu(a))(ctx); });
        add("HardSigmoid", ctx =>
        {
            double a = ctx.Attributes.Float("alpha", 0.2f), b = ctx.Attributes.Float("beta", 0.5f);
            Unary(x => x.HardSigmoid(a, b))(ctx);
        });
        add("HardSwish", Unary(x => x.HardSwish()));
    }

    /// <summary>A one-input op.</summary>
    public static OpHandler Unary(Func<Tensor, Tensor> f) => ctx =>
    {
        ctx.ExpectInputs(1, 1);
        ctx.Emit([0], a => f(a[0]!));
    };

    /// <summary>A two-input broadcasting op.</summary>
    public static OpHandler Binary(Func<Tensor, Tensor, Tensor> f) => ctx =>
    {
        ctx.ExpectInputs(2, 2);
        ctx.Emit([0, 1], a => f(a[0]!, a[1]!));
    };

    /// <summary>Clip: bounds as attributes (opset &lt; 11) or as optional inputs known at import.</summary>
    private static void Clip(NodeContext ctx)
    {
        double lo = double.NegativeInfinity, hi = double.PositiveInfinity;
        if (ctx.Opset < 11)
        {
            ctx.ExpectInputs(1, 1);
            lo = ctx.Attributes.Float("min", float.NegativeInfinity);
            hi = ctx.Attributes.Float("max", float.PositiveInfinity);
        }
        else
        {
            ctx.ExpectInputs(1, 3);
            if (ctx.HasInput(1)) lo = Scalar(ctx, 1, "min");
            if (ctx.HasInput(2)) hi = Scalar(ctx, 2, "max");
        }
        if (lo > hi) throw ctx.Fail($"Clip min {lo} is greater than max {hi}");
        ctx.Emit([0], a => a[0]!.Clip(lo, hi));
    }

    /// <summary>A one-element input known at import.</summary>
    public static double Scalar(NodeContext ctx, int i, string what)
    {
        var c = ctx.Constant(i, what);
        if (c.Length != 1) throw ctx.Fail($"{what} must be a scalar, has shape [{string.Join(", ", c.Shape)}]");
        return c.AsDoubles()[0];
    }
}
