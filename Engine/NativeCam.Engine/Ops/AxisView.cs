using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>A tensor seen as [Outer, Axis, Inner] around one axis (the softmax family's kernels).</summary>
internal static class AxisView
{
    /// <summary>The view of <paramref name="shape"/> around the non-negative <paramref name="axis"/>.</summary>
    public static AxisParams Of(int[] shape, int axis, string op)
    {
        if (axis < 0 || axis >= shape.Length)
            throw new ArgumentException($"{op}: axis {axis} out of range for shape {Shapes.Format(shape)}");
        if (shape[axis] == 0)
            throw new ArgumentException($"{op}: axis {axis} of shape {Shapes.Format(shape)} is empty");
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return new AxisParams(checked((int)outer), shape[axis], checked((int)inner));
    }

    /// <summary><paramref name="shape"/> with <paramref name="axis"/> set to 1.</summary>
    public static int[] Kept(int[] shape, int axis) => shape.Select((d, i) => i == axis ? 1 : d).ToArray();
}
