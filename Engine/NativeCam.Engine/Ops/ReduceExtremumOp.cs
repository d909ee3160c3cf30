using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// Base of max/min over <c>axes</c> (sorted, distinct, non-negative), keeping them as size-1 dims when keepDims.
/// The forward pass records the flat index of the first extreme element of each output (a constant: ties and all
/// derivative go to that element).
/// </summary>
public abstract class ReduceExtremumOp(ReduceKind kind, int[] axes, bool keepDims) : UnaryOp
{
    private IBuffer? _index;

    /// <summary>The output shape for an input shape.</summary>
    internal int[] OutShape(int[] shape) => keepDims
        ? shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray()
        : shape.Where((_, i) => !axes.Contains(i)).ToArray();

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        foreach (int a in axes)
            if (x.Shape[a] == 0) throw new ArgumentException($"{Name}: cannot reduce the empty axis {a} of {Shapes.Format(x.Shape)}");
        var y = Tensor.Empty(OutShape(x.Shape), x.DType, x.Backend);
        var index = Tensor.AllocateBuffer(x.Backend, DType.Int32, y.Length);
        x.Backend.Reduce(kind, x.Shape, axes, x.Buffer, y.Buffer, index);
        _index = index;
        return y;
    }

    /// <summary>The argmax/argmin index (from the forward pass, or recomputed from x's value).</summary>
    private IBuffer Index(Tensor x)
    {
        if (_index is null) Forward(x.Value);
        return _index!;
    }

    // y = x[arg] with arg constant: dy = dx[arg] (a gather)
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => new GatherFlatOp(Index(x), y.Shape).Apply(dx);

    // x̄ = ȳ scattered to the positions arg (zero elsewhere)
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => new ScatterAddFlatOp(Index(x), x.Shape).Apply(dy);
}
