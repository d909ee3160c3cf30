using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// cond ≠ 0 ? a : b elementwise with broadcasting of cond, a and b (ONNX Where). cond is a constant (its
/// derivative levels, if any, are ignored: a selection has zero derivative); a and b are the differentiable inputs.
/// </summary>
public sealed class WhereOp(Tensor cond) : Op
{
    private readonly Tensor _cond = cond.Value;

    /// <inheritdoc/>
    public override string Name => "Where";

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        var (a, b) = (x[0], x[1]);
        var c = CondLike(a);
        var shape = Broadcast.Shape(Broadcast.Shape(c.Shape, a.Shape, Name), b.Shape, Name);
        var y = Tensor.Empty(shape, a.DType, a.Backend);
        var p = new BroadcastParams(shape, Broadcast.Strides(c.Shape, shape), Broadcast.Strides(a.Shape, shape), Broadcast.Strides(b.Shape, shape));
        a.Backend.Where(p, c.Buffer, a.Buffer, b.Buffer, y.Buffer);
        return y;
    }

    /// <summary>cond in the dtype of <paramref name="a"/> (the kernel wants one float dtype).</summary>
    private Tensor CondLike(Tensor a)
    {
        if (!ReferenceEquals(_cond.Backend, a.Backend))
            throw new ArgumentException($"Where: cond lives on {_cond.Backend.Name}, a and b on {a.Backend.Name}");
        if (_cond.DType == a.DType) return _cond;
        var c = Tensor.Empty(_cond.Shape, a.DType, a.Backend);
        a.Backend.Cast(_cond.Buffer, c.Buffer);
        return c;
    }

    // d(where(c, a, b)) = where(c, da, db): the selection is constant
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        var zero = y.Value.ScalarLike(0);
        return new WhereOp(_cond).Apply(dx[0] ?? zero, dx[1] ?? zero).BroadcastTo(y.Shape);
    }

    // ā = Σ where(c, ȳ, 0), b̄ = Σ where(c, 0, ȳ) over the axes each was stretched along
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy)
    {
        var zero = y.Value.ScalarLike(0);
        return
        [
            new WhereOp(_cond).Apply(dy, zero).BroadcastTo(y.Shape).SumTo(x[0].Shape),
            new WhereOp(_cond).Apply(zero, dy).BroadcastTo(y.Shape).SumTo(x[1].Shape),
        ];
    }
}
