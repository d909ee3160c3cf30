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

    // value and tangent in one pass (IKernels.ProductWithTangent: y = a·b, dy = da·b + a·db, rounded as Forward and
    // Jvp round them): a squeeze-excitation's scale and its tangent, and in a backward sweep over duals its cotangent
    // products, were four passes each
    /// <inheritdoc/>
    protected internal override (Tensor Value, Tensor Tangent)? ForwardWithTangent(Tensor[] x, Tensor?[] dx)
    {
        var (a, b) = (x[0], x[1]);
        var (da, db) = (dx[0], dx[1]);
        if (da is null && db is null || a.DType != b.DType || !ReferenceEquals(a.Backend, b.Backend)) return null;
        if (da is not null && !Fits(da, a) || db is not null && !Fits(db, b)) return null;
        var shape = Broadcast.Shape(a.Shape, b.Shape, Name);
        var y = Tensor.Empty(shape, a.DType, a.Backend);
        var dy = Tensor.Empty(shape, a.DType, a.Backend);
        var p = Broadcast.Params(a.Shape, b.Shape, shape);
        a.Backend.ProductWithTangent(p, a.Buffer, b.Buffer, da?.Buffer, db?.Buffer, y.Buffer, dy.Buffer);
        return (y, dy);
    }

    /// <summary>A tangent the fused pass takes: its primal's shape, dtype and backend.</summary>
    private static bool Fits(Tensor tangent, Tensor primal) =>
        tangent.DType == primal.DType && ReferenceEquals(tangent.Backend, primal.Backend) && tangent.Shape.AsSpan().SequenceEqual(primal.Shape);

    // ā = Σ ȳ·b, b̄ = Σ ȳ·a over stretched axes
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [true, true]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted) =>
        [wanted[0] ? (dy * x[1]).SumTo(x[0].Shape) : null, wanted[1] ? (dy * x[0]).SumTo(x[1].Shape) : null];
}
