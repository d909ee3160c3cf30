using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Max over <c>axes</c> (sorted, distinct, non-negative); the derivative goes to the first maximum.</summary>
public sealed class ReduceMaxOp(int[] axes, bool keepDims) : ReduceExtremumOp(ReduceKind.Max, axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "ReduceMax";
}
