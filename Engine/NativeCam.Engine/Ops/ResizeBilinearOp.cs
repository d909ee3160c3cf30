using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// Bilinear resize of [N, C, H, W] to [N, C, outH, outW] (OpenCV INTER_LINEAR: half-pixel centres, border
/// replicate), or with <paramref name="alignCorners"/> PyTorch's align_corners=True (src = dst·(in − 1)/(out − 1)).
/// Linear in x.
/// </summary>
public sealed class ResizeBilinearOp(int outH, int outW, bool alignCorners = false) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "ResizeBilinear";

    /// <summary>Kernel parameters for an [N, C, H, W] input resized to [N, C, outH, outW].</summary>
    internal static ResizeParams Params(string op, int[] input, int outH, int outW, bool alignCorners = false)
    {
        if (input.Length != 4)
            throw new ArgumentException($"{op}: expects [N, C, H, W], got {Shapes.Format(input)}");
        if (outH <= 0 || outW <= 0 || input[2] <= 0 || input[3] <= 0)
            throw new ArgumentException($"{op}: sizes must be positive (input {Shapes.Format(input)}, output {outH}×{outW})");
        return new ResizeParams(Layout.Product(input, 0, 2), input[2], input[3], outH, outW, alignCorners);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var p = Params(Name, x.Shape, outH, outW, alignCorners);
        var y = Tensor.Empty([x.Shape[0], x.Shape[1], outH, outW], x.DType, x.Backend);
        x.Backend.ResizeBilinear(p, x.Buffer, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new ResizeBilinearOp(outH, outW, alignCorners).Apply(dx);

    // y = R·x, so x̄ = Rᵀ·ȳ
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new ResizeBilinearBackwardOp(x.Shape[2], x.Shape[3], alignCorners).Apply(dy);
}
