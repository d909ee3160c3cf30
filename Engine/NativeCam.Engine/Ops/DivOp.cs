using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>a / b elementwise (broadcasting).</summary>
public sealed class DivOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "Div";

    /// <inheritdoc/>
    protected override BinaryKind Kind => BinaryKind.Div;

    // d(a/b) = da/b − (a/b)·db/b
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? ta = dx[0] is null ? null : dx[0]! / x[1];
        Tensor? tb = dx[1] is null ? null : y * dx[1]! / x[1];
        var t = ta is null ? -tb! : tb is null ? ta : ta - tb;
        return t.BroadcastTo(y.Shape);
    }

    // ā = Σ ȳ/b, b̄ = −Σ ȳ·(a/b)/b
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) =>
        [(dy / x[1]).SumTo(x[0].Shape), (-(dy * y) / x[1]).SumTo(x[1].Shape)];
}
