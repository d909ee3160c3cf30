using NativeCam.Kernels;
using NativeCam.Engine.Autodiff;

namespace NativeCam.Engine.Ops;

/// <summary>Base of broadcasting elementwise binary ops: the value comes from one kernel call.</summary>
public abstract class BinaryOp : Op
{
    /// <summary>The kernel function.</summary>
    protected abstract BinaryKind Kind { get; }

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        var (a, b) = (x[0], x[1]);
        var shape = Broadcast.Shape(a.Shape, b.Shape, Name);
        var y = Tensor.Empty(shape, a.DType, a.Backend);
        var p = new BroadcastParams(shape, Broadcast.Strides(a.Shape, shape), Broadcast.Strides(b.Shape, shape));
        a.Backend.Binary(Kind, p, a.Buffer, b.Buffer, y.Buffer);
        return y;
    }
}
