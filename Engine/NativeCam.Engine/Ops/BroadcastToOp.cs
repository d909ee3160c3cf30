using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Stretches x to <c>shape</c> by broadcasting (ONNX Expand).</summary>
public sealed class BroadcastToOp(int[] shape) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "BroadcastTo";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var outShape = Broadcast.Shape(x.Shape, shape, Name);
        if (!outShape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"BroadcastTo: {Shapes.Format(x.Shape)} cannot be broadcast to {Shapes.Format(shape)}");
        var y = Tensor.Empty(shape, x.DType, x.Backend);
        var src = Array.ConvertAll(Broadcast.Strides(x.Shape, shape), s => (long)s);
        x.Backend.StridedCopy(new StridedCopyParams(shape, 0, src, 0, Shapes.Strides(shape)), x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => dx.BroadcastTo(shape);

    // adjoint of stretching is summing over the stretched axes
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => dy.SumTo(x.Shape);
}
