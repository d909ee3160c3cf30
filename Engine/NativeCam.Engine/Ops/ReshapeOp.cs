using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>The same elements under another shape (shares the buffer).</summary>
public sealed class ReshapeOp(int[] shape) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Reshape";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (Shapes.Product(shape) != x.Length)
            throw new ArgumentException($"Reshape: {Shapes.Format(x.Shape)} ({x.Length} elements) cannot become {Shapes.Format(shape)}");
        return Tensor.FromBuffer(shape, x.DType, x.Backend, x.Buffer.Retain());
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => dx.Reshape(shape);

    // adjoint of a reshape is the reshape back
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => dy.Reshape(x.Shape);
}
