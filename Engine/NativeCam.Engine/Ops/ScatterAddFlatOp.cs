using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// y = zeros(<c>shape</c>), then y[index[i]] += x[i] (flat, row-major; duplicates add). <c>index</c> is an Int32
/// buffer on x's backend with one entry per element of x; it is a constant of the op.
/// </summary>
public sealed class ScatterAddFlatOp(IBuffer index, int[] shape) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "ScatterAddFlat";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (index.DType != DType.Int32 || index.Length != x.Length)
            throw new ArgumentException($"ScatterAddFlat: index must be Int32 with one entry per element of x {Shapes.Format(x.Shape)}, got {index.DType} × {index.Length}");
        var y = Tensor.Empty(shape, x.DType, x.Backend); // an op's output: from the run's plan, sweep or scope
        x.Backend.Fill(y.Buffer, 0);
        x.Backend.ScatterAddFlat(x.Buffer, index, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new ScatterAddFlatOp(index, shape).Apply(dx);

    // adjoint of a scatter-add is the gather from the same positions
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new GatherFlatOp(index, x.Shape).Apply(dy);
}
