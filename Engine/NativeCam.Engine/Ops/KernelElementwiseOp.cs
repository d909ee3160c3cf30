using NativeCam.Kernels;
using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine.Ops;

/// <summary>An elementwise op whose value is one <see cref="UnaryKind"/> kernel call.</summary>
public abstract class KernelElementwiseOp : ElementwiseOp
{
    /// <summary>The kernel function.</summary>
    protected abstract UnaryKind Kind { get; }

    /// <summary>First kernel parameter.</summary>
    protected virtual double Alpha => 0;

    /// <summary>Second kernel parameter.</summary>
    protected virtual double Beta => 0;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x) => Elementwise.Map(Kind, x, Alpha, Beta);
}

/// <summary>Kernel helpers for elementwise values, including constant masks (derivatives of kinks).</summary>
internal static class Elementwise
{
    /// <summary>f(x) on a plain tensor.</summary>
    public static Tensor Map(UnaryKind kind, Tensor x, double alpha = 0, double beta = 0)
    {
        Graph.PlanRun.OfferInput(x.Buffer); // elementwise: the output may be written over x (a memory plan decides)
        var y = Tensor.Empty(x.Shape, x.DType, x.Backend);
        x.Backend.Unary(kind, x.Buffer, y.Buffer, alpha, beta);
        return y;
    }

    /// <summary>
    /// A constant (level-0) tensor computed from x's plain value: a mask or a sign. Its derivative is zero almost
    /// everywhere, so dropping x's derivative levels here is exact, not a detach of anything that matters.
    /// </summary>
    public static Tensor Constant(UnaryKind kind, Tensor x, double alpha = 0, double beta = 0) => Map(kind, x.Value, alpha, beta);
}
