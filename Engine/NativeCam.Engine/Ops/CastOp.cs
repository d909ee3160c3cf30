using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// The same values in another float dtype, on the same backend (no host round trip). Linear: the tangent is cast
/// the same way and a cotangent is cast back to the input's dtype.
/// </summary>
public sealed class CastOp(DType dtype) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Cast";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (dtype is not (DType.Float32 or DType.Float64)) throw new ArgumentException($"{Name}: only float dtypes; got {dtype}");
        var y = Tensor.Empty(x.Shape, dtype, x.Backend);
        x.Backend.Cast(x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new CastOp(dtype).Apply(dx);

    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new CastOp(x.DType).Apply(dy);
}
