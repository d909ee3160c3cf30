using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Min over <c>axes</c> (sorted, distinct, non-negative); the derivative goes to the first minimum.</summary>
public sealed class ReduceMinOp(int[] axes, bool keepDims) : ReduceExtremumOp(ReduceKind.Min, axes, keepDims)
{
    /// <inheritdoc/>
    public override string Name => "ReduceMin";
}
