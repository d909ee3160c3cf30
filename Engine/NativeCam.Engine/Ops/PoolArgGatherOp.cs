using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// y.flat[i] = x.flat[index[i]] into a tensor of <c>shape</c>, with a constant Int32 index buffer (a max-pool's
/// argmax). Linear in x; its adjoint is <see cref="PoolArgScatterOp"/>.
/// </summary>
public sealed class PoolArgGatherOp(IBuffer index, int[] shape) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "PoolArgGather";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (index.DType != DType.Int32 || index.Length != Shapes.Product(shape))
            throw new ArgumentException($"PoolArgGather: index of {index.Length} {index.DType} elements for output {Shapes.Format(shape)}");
        var y = Tensor.Empty(shape, x.DType, x.Backend);
        x.Backend.GatherFlat(x.Buffer, index, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new PoolArgGatherOp(index, shape).Apply(dx);

    // ⟨ȳ, x[index]⟩ = ⟨scatter-add(ȳ, index), x⟩
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new PoolArgScatterOp(index, x.Shape).Apply(dy);
}
