using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>NumPy broadcasting rules (shapes aligned on the right; a dim of 1 stretches).</summary>
internal static class Broadcast
{
    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int[] Shape(int[] a, int[] b, string op) =>
        Shapes.TryBroadcast(a, b, out var r) ? r
        : throw new ArgumentException($"{op}: shapes {Shapes.Format(a)} and {Shapes.Format(b)} do not broadcast");

    /// <summary>Element strides of <paramref name="shape"/> read as <paramref name="outShape"/> (0 on stretched dims).</summary>
    public static int[] Strides(int[] shape, int[] outShape)
    {
        var s = new int[outShape.Length];
        var own = Shapes.Strides(shape);
        int off = outShape.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++) s[i + off] = shape[i] == 1 ? 0 : checked((int)own[i]);
        return s;
    }

    /// <summary>Kernel parameters of a binary op reading <paramref name="a"/> and <paramref name="b"/> at the positions
    /// of <paramref name="outShape"/>.</summary>
    public static BroadcastParams Params(int[] a, int[] b, int[] outShape) => new(outShape, Strides(a, outShape), Strides(b, outShape));

    /// <summary>The axes of <paramref name="outShape"/> that <paramref name="shape"/> was stretched along.</summary>
    public static int[] StretchedAxes(int[] shape, int[] outShape)
    {
        int off = outShape.Length - shape.Length;
        var axes = new List<int>();
        for (int i = 0; i < outShape.Length; i++)
            if (i < off || (shape[i - off] == 1 && outShape[i] != 1)) axes.Add(i);
        return [.. axes];
    }
}
