namespace NativeCam.Kernels;

/// <summary>Small shape helpers shared by kernels and the engine.</summary>
public static class Shapes
{
    /// <summary>Product of the dims (1 for a scalar).</summary>
    public static long Product(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>Row-major (C order) strides in elements.</summary>
    public static long[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>
    /// NumPy broadcasting: shapes aligned on the right, a dim of 1 stretches to the other. False when two dims
    /// differ and neither is 1.
    /// </summary>
    public static bool TryBroadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, out int[] result)
    {
        int rank = Math.Max(a.Length, b.Length);
        result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1) return false;
            result[i] = da == 1 ? db : da;
        }
        return true;
    }

    /// <summary>Formats a shape as [a, b, c].</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
