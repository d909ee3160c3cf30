using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>max(a, b) elementwise (broadcasting); at ties the derivative goes to a.</summary>
public sealed class MaximumOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "Maximum";

    /// <inheritdoc/>
    protected override BinaryKind Kind => BinaryKind.Max;

    // d max(a, b) = m·da + (1 − m)·db with the constant mask m = [a ≥ b] = 1 − [a < b]
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx) => SelectMask.Jvp(SelectMask.Of(BinaryKind.Less, x, y), y, dx);

    // ā = Σ m·ȳ, b̄ = Σ (1 − m)·ȳ over stretched axes
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => SelectMask.Vjp(SelectMask.Of(BinaryKind.Less, x, y), x, dy);
}

/// <summary>The constant selection masks of Maximum/Minimum and their derivative rules.</summary>
internal static class SelectMask
{
    /// <summary>(m, 1 − m) at the output shape, m = 1 − [a ∘ b] for the comparison <paramref name="loses"/> under which a loses.</summary>
    public static (Tensor A, Tensor B) Of(BinaryKind loses, Tensor[] x, Tensor y)
    {
        var (a, b) = (x[0].Value, x[1].Value);
        var shape = y.Shape;
        var lost = Tensor.Empty(shape, a.DType, a.Backend);
        a.Backend.Binary(loses, Broadcast.Params(a.Shape, b.Shape, shape), a.Buffer, b.Buffer, lost.Buffer);
        return (Elementwise.Map(UnaryKind.Affine, lost, -1, 1), lost);
    }

    public static Tensor Jvp((Tensor A, Tensor B) m, Tensor y, Tensor?[] dx)
    {
        Tensor? ta = dx[0] is null ? null : dx[0]! * m.A;
        Tensor? tb = dx[1] is null ? null : dx[1]! * m.B;
        var t = ta is null ? tb! : tb is null ? ta : ta + tb;
        return t.BroadcastTo(y.Shape);
    }

    public static Tensor?[] Vjp((Tensor A, Tensor B) m, Tensor[] x, Tensor dy) =>
        [(dy * m.A).SumTo(x[0].Shape), (dy * m.B).SumTo(x[1].Shape)];
}
