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
        // an operand of the output's shape is read element by element at the output's positions: the output may
        // take its memory (a memory plan decides)
        if (a.Shape.AsSpan().SequenceEqual(shape)) Graph.PlanRun.OfferInput(a.Buffer);
        else if (b.Shape.AsSpan().SequenceEqual(shape)) Graph.PlanRun.OfferInput(b.Buffer);
        var y = Tensor.Empty(shape, a.DType, a.Backend);
        var p = Broadcast.Params(a.Shape, b.Shape, shape);
        a.Backend.Binary(Kind, p, a.Buffer, b.Buffer, y.Buffer);
        return y;
    }
}
