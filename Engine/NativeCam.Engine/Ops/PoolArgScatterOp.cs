using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// Scatter-add into zeros of <c>shape</c>: y.flat[index[i]] += x.flat[i], with a constant Int32 index buffer of x's
/// length (a max-pool's argmax; duplicates add). Linear in x; its adjoint is <see cref="PoolArgGatherOp"/>.
/// </summary>
public sealed class PoolArgScatterOp(IBuffer index, int[] shape) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "PoolArgScatter";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (index.DType != DType.Int32 || index.Length != x.Length)
            throw new ArgumentException($"PoolArgScatter: index of {index.Length} {index.DType} elements for input {Shapes.Format(x.Shape)}");
        var y = Tensor.Zeros(shape, x.DType, x.Backend);
        x.Backend.ScatterAddFlat(x.Buffer, index, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new PoolArgScatterOp(index, shape).Apply(dx);

    // ⟨ȳ, scatter-add(x, index)⟩ = ⟨ȳ[index], x⟩
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new PoolArgGatherOp(index, x.Shape).Apply(dy);
}
