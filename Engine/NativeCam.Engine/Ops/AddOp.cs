using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>a + b (broadcasting).</summary>
public sealed class AddOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "Add";

    /// <inheritdoc/>
    protected override BinaryKind Kind => BinaryKind.Add;

    // d(a+b) = da + db
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx) =>
        dx[0] is null ? dx[1]!.BroadcastTo(y.Shape) : dx[1] is null ? dx[0]!.BroadcastTo(y.Shape) : dx[0]! + dx[1]!;

    // ā = sum of ȳ over a's stretched axes; likewise b̄
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) =>
        [dy.SumTo(x[0].Shape), dy.SumTo(x[1].Shape)];
}
