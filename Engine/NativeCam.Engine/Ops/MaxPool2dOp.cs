using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// 2-D max pooling over x [N, C, H, W] → [N, C, OH, OW] (geometry in <c>p</c>). The forward pass records the flat
/// index of each window's first maximum; the derivative rules gather / scatter through that constant index.
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
        var arg = Tensor.AllocateBuffer(x.Backend, DType.Int32, y.Length);
        x.Backend.MaxPool2d(p, x.Buffer, y.Buffer, arg);
        _argIndex = arg;
        return y;
    }

    private IBuffer ArgIndex => _argIndex ?? throw new InvalidOperationException("MaxPool2d: derivative rule before the forward pass");

    // y = x[arg] with a constant arg (ties and kinks have measure zero): dy = dx[arg]
    /// <inheritdoc/>
    protected override Tensor Jvp(Tensor x, Tensor y, Tensor dx) => new GatherFlatOp(ArgIndex, y.Shape).Apply(dx);

    // adjoint of the gather: x̄[arg[i]] += ȳ[i]
    /// <inheritdoc/>
    protected override Tensor Vjp(Tensor x, Tensor y, Tensor dy) => new ScatterAddFlatOp(ArgIndex, x.Shape).Apply(dy);
}
