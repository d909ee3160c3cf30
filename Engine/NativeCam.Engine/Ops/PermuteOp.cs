using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Permutes the axes: output axis i is input axis <c>perm[i]</c> (ONNX Transpose).</summary>
public sealed class PermuteOp(int[] perm) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Permute";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        Layout.CheckPermutation(perm, x.Rank, Name, x.Shape);
        var outShape = perm.Select(p => x.Shape[p]).ToArray();
        var inStrides = Shapes.Strides(x.Shape);
        var y = Tensor.Empty(outShape, x.DType, x.Backend);
        var src = perm.Select(p => inStrides[p]).ToArray();
        x.Backend.StridedCopy(new StridedCopyParams(outShape, 0, src, 0, Shapes.Strides(outShape)), x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new PermuteOp(perm).Apply(dx);

    // a permutation matrix is orthogonal: its adjoint is the inverse permutation
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new PermuteOp(Layout.Inverse(perm)).Apply(dy);
}
