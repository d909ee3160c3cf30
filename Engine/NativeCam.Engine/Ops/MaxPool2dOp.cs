using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// 2-D max pooling over x [N, C, H, W] → [N, C, OH, OW] (geometry in <c>p</c>). The derivative rules gather / scatter
/// through the flat index of each window's first maximum, a constant of x: it is computed from x by the first rule
/// that needs it, so a plain forward pass neither tracks nor stores it.
/// </summary>
public sealed class MaxPool2dOp(Pool2dParams p) : UnaryOp
{
    private IBuffer? _argIndex;

    /// <inheritdoc/>
    public override string Name => "MaxPool2d";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        Pool2d.Check(p, x.Shape, Name);
        Pool2d.CheckNoEmptyWindow(p, Name);
        var y = Tensor.Empty(Pool2d.OutShape(p), x.DType, x.Backend);
        x.Backend.MaxPool2d(p, x.Buffer, y.Buffer, null);
        _argIndex = null;
        return y;
    }

    /// <summary>The argmax index of the forward pass on x (the same kernel again, now tracking the index).</summary>
    private IBuffer ArgIndex(Tensor x, Tensor y)
    {
        if (_argIndex is not null) return _argIndex;
        // x may be a dual or reverse tensor here (nested derivatives): the index depends on its value only
        var v = x.Value;
        var arg = v.Backend.Allocate(DType.Int32, y.Length);
        // the values again go to a temporary of this rule alone (inside a sweep or scope its memory is reused)
        using (var again = Tensor.AllocateBuffer(v.Backend, v.DType, y.Length)) v.Backend.MaxPool2d(p, v.Buffer, again, arg);
        return _argIndex = arg;
    }

    // y = x[arg] with a constant arg (ties and kinks have measure zero): dy = dx[arg]
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => new GatherFlatOp(ArgIndex(x, y), y.Shape).Apply(dx);

    // adjoint of the gather: x̄[arg[i]] += ȳ[i]
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => new ScatterAddFlatOp(ArgIndex(x, y), x.Shape).Apply(dy);
}
