using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// Constant padding: <c>pads</c> holds every axis's begin count then every axis's end count (ONNX layout, all ≥ 0);
/// the border is filled with <c>value</c>.
/// </summary>
public sealed class PadOp(int[] pads, double value) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "Pad";

    private (int[] Starts, int[] Ones, int[] OutShape) Geometry(int[] shape)
    {
        int r = shape.Length;
        if (pads.Length != 2 * r)
            throw new ArgumentException($"Pad: {pads.Length} pads for shape {Shapes.Format(shape)} (need {2 * r}: begins then ends)");
        if (pads.Any(p => p < 0)) throw new ArgumentException($"Pad: negative pads [{string.Join(", ", pads)}] (crop with Slice first)");
        var outShape = new int[r];
        for (int a = 0; a < r; a++) outShape[a] = checked(shape[a] + pads[a] + pads[a + r]);
        return (pads[..r], Enumerable.Repeat(1, r).ToArray(), outShape);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        var (starts, ones, outShape) = Geometry(x.Shape);
        var p = Layout.SliceCopy(Name, x.Shape, outShape, starts, ones, x.Shape, intoSlice: false);
        var y = Tensor.Empty(outShape, x.DType, x.Backend);
        x.Backend.Fill(y.Buffer, value);
        x.Backend.StridedCopy(p, x.Buffer, y.Buffer);
        return y;
    }

    // the fill value is a constant: its tangent is zero, so the tangent is padded with 0
    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new PadOp(pads, 0).Apply(dx);

    // adjoint of embedding into a (constant) border is cutting the interior back out
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy)
    {
        var (starts, ones, outShape) = Geometry(x.Shape);
        return new SliceOp(outShape, starts, ones, x.Shape).Apply(dy);
    }
}
