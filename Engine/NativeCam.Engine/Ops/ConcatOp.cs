using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Joins N ≥ 1 tensors of equal rank along <c>axis</c> (non-negative); all other dims must agree.</summary>
public sealed class ConcatOp(int axis) : Op
{
    /// <inheritdoc/>
    public override string Name => "Concat";

    /// <summary>The output shape of concatenating <paramref name="shapes"/> along <paramref name="axis"/>.</summary>
    internal static int[] OutShape(int[][] shapes, int axis)
    {
        if (shapes.Length == 0) throw new ArgumentException("Concat: no inputs");
        var first = shapes[0];
        if (axis < 0 || axis >= first.Length)
            throw new ArgumentException($"Concat: axis {axis} is out of range for shape {Shapes.Format(first)}");
        var r = (int[])first.Clone();
        r[axis] = 0;
        foreach (var s in shapes)
        {
            bool ok = s.Length == first.Length;
            for (int i = 0; ok && i < s.Length; i++) ok = i == axis || s[i] == first[i];
            if (!ok)
                throw new ArgumentException($"Concat: shapes {string.Join(", ", shapes.Select(t => Shapes.Format(t)))} differ off axis {axis}");
            r[axis] = checked(r[axis] + s[axis]);
        }
        return r;
    }

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        var shape = OutShape(x.Select(t => t.Shape).ToArray(), axis);
        var y = Tensor.Empty(shape, x[0].DType, x[0].Backend);
        var dstStrides = Shapes.Strides(shape);
        long offset = 0;
        foreach (var t in x)
        {
            x[0].Backend.StridedCopy(new StridedCopyParams(t.Shape, 0, Shapes.Strides(t.Shape), offset, dstStrides), t.Buffer, y.Buffer);
            offset += t.Shape[axis] * dstStrides[axis];
        }
        return y;
    }

    // d concat(x₁…xₙ) = concat(dx₁…dxₙ), a zero block where an input has no tangent
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        var parts = new Tensor[x.Length];
        for (int i = 0; i < x.Length; i++) parts[i] = dx[i] ?? Tensor.Zeros(x[i].Shape, x[i].DType, x[i].Backend);
        return new ConcatOp(axis).Apply(parts);
    }

    // the adjoint of stacking blocks is cutting the cotangent back into those blocks
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy)
    {
        var result = new Tensor?[x.Length];
        int start = 0;
        for (int i = 0; i < x.Length; i++)
        {
            result[i] = dy.SliceAxis(axis, start, x[i].Shape[axis]);
            start += x[i].Shape[axis];
        }
        return result;
    }
}
