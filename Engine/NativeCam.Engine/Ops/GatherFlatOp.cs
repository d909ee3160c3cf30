using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// y[i] = x[index[i]] with y of <c>shape</c> and x of any shape (flat, row-major indices). <c>index</c> is an Int32
/// buffer on x's backend with one entry per element of y; it is a constant of the op.
/// </summary>
public sealed class GatherFlatOp(IBuffer index, int[] shape) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "GatherFlat";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (index.DType != DType.Int32 || index.Length != Shapes.Product(shape))
            throw new ArgumentException($"GatherFlat: index must be Int32 with {Shapes.Product(shape)} entries for shape {Shapes.Format(shape)}, got {index.DType} × {index.Length}");
        var y = Tensor.Empty(shape, x.DType, x.Backend);
        x.Backend.GatherFlat(x.Buffer, index, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new GatherFlatOp(index, shape).Apply(dx);

    // adjoint of a gather is the scatter-add of the cotangent back to the gathered positions
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new ScatterAddFlatOp(index, x.Shape).Apply(dy);
}
