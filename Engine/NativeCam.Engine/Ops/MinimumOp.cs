using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>min(a, b) elementwise (broadcasting); at ties the derivative goes to a.</summary>
public sealed class MinimumOp : BinaryOp
{
    /// <inheritdoc/>
    public override string Name => "Minimum";

    /// <inheritdoc/>
    protected override BinaryKind Kind => BinaryKind.Min;

    // d min(a, b) = m·da + (1 − m)·db with the constant mask m = [a ≤ b] = 1 − [a > b]
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx) => SelectMask.Jvp(SelectMask.Of(BinaryKind.Greater, x, y), y, dx);

    // ā = Σ m·ȳ, b̄ = Σ (1 − m)·ȳ over stretched axes
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => SelectMask.Vjp(SelectMask.Of(BinaryKind.Greater, x, y), x, dy);
}
