using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The adjoint of <see cref="GatherAxisOp"/>: zeros with <c>axisLength</c> on <c>axis</c>, then
/// y[…, indices[m], …] += x[…, m, …] (repeated indices accumulate). The input has <c>indices.Length</c> on that axis.
/// </summary>
public sealed class ScatterAddAxisOp(int axis, int[] indices, int axisLength) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "ScatterAddAxis";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (axis < 0 || axis >= x.Rank || x.Shape[axis] != indices.Length)
            throw new ArgumentException($"ScatterAddAxis: input {Shapes.Format(x.Shape)} needs {indices.Length} entries on axis {axis}");
        var outShape = (int[])x.Shape.Clone();
        outShape[axis] = axisLength;
        var p = GatherAxisOp.Params(Name, outShape, axis, indices, axisLength);
        var y = Tensor.Empty(outShape, x.DType, x.Backend);
        x.Backend.Fill(y.Buffer, 0);
        using var idx = GatherAxisOp.Upload(x.Backend, indices);
        x.Backend.ScatterAddAxis(p, x.Buffer, idx, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new ScatterAddAxisOp(axis, indices, axisLength).Apply(dx);

    // adjoint of adding slot m into row idx[m] is reading row idx[m] into slot m
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new GatherAxisOp(axis, indices).Apply(dy);
}
