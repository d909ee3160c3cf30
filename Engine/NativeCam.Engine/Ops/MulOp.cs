using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>a · b elementwise (broadcasting).</summary>
public sealed class MulOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "Mul";

    /// <inheritdoc/>
    protected override BinaryKind Kind => BinaryKind.Mul;

    // d(ab) = da·b + a·db
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? ta = dx[0] is null ? null : dx[0]! * x[1];
        Tensor? tb = dx[1] is null ? null : x[0] * dx[1]!;
        var t = ta is null ? tb! : tb is null ? ta : ta + tb;
        return t.BroadcastTo(y.Shape);
    }

    // ā = Σ ȳ·b, b̄ = Σ ȳ·a over stretched axes
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [true, true]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted) =>
        [wanted[0] ? (dy * x[1]).SumTo(x[0].Shape) : null, wanted[1] ? (dy * x[0]).SumTo(x[1].Shape) : null];
}
