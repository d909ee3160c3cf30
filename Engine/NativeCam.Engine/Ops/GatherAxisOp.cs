using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// Picks entries along <c>axis</c>: y[…, m, …] = x[…, indices[m], …]; the output has <c>indices.Length</c> on that
/// axis. Indices are constants in [0, dim) (repeats allowed).
/// </summary>
public sealed class GatherAxisOp(int axis, int[] indices) : LinearUnaryOp
{
    /// <inheritdoc/>
    public override string Name => "GatherAxis";

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor x)
    {
        if (axis < 0 || axis >= x.Rank)
            throw new ArgumentException($"GatherAxis: axis {axis} is out of range for shape {Shapes.Format(x.Shape)}");
        var p = Params(Name, x.Shape, axis, indices, x.Shape[axis]);
        var outShape = (int[])x.Shape.Clone();
        outShape[axis] = indices.Length;
        var y = Tensor.Empty(outShape, x.DType, x.Backend);
        using var idx = Upload(x.Backend, indices);
        x.Backend.GatherAxis(p, x.Buffer, idx, y.Buffer);
        return y;
    }

    /// <inheritdoc/>
    protected override Tensor Same(Tensor dx) => new GatherAxisOp(axis, indices).Apply(dx);

    // adjoint of copying x[idx[m]] to slot m is adding slot m back into x[idx[m]] (repeats accumulate)
    /// <inheritdoc/>
    protected override Tensor Adjoint(Tensor x, Tensor dy) => new ScatterAddAxisOp(axis, indices, x.Shape[axis]).Apply(dy);

    /// <summary>Checks the axis and indices against a shape and builds the kernel parameters.</summary>
    /// <param name="shape">The shape whose <paramref name="axis"/> has length indices.Length or <paramref name="axisLength"/>.</param>
    internal static GatherParams Params(string op, int[] shape, int axis, int[] indices, int axisLength)
    {
        if (axis < 0 || axis >= shape.Length)
            throw new ArgumentException($"{op}: axis {axis} is out of range for shape {Shapes.Format(shape)}");
        foreach (int i in indices)
            if (i < 0 || i >= axisLength)
                throw new ArgumentException($"{op}: index {i} is outside [0, {axisLength}) on axis {axis} (shape {Shapes.Format(shape)})");
        return new GatherParams(Layout.Product(shape, 0, axis), axisLength, Layout.Product(shape, axis + 1, shape.Length), indices.Length);
    }

    /// <summary>An Int32 buffer holding the indices.</summary>
    internal static IBuffer Upload(IKernels backend, int[] indices)
    {
        var b = backend.Allocate(DType.Int32, indices.Length);
        backend.Upload<int>(indices, b);
        return b;
    }
}
