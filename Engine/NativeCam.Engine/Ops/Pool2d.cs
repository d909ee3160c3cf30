using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Shape checks shared by the pooling ops.</summary>
internal static class Pool2d
{
    /// <summary>[N, C, OH, OW].</summary>
    public static int[] OutShape(Pool2dParams p) => [p.N, p.C, p.OH, p.OW];

    /// <summary>Throws unless the geometry is valid and <paramref name="shape"/> is its input shape.</summary>
    public static void Check(Pool2dParams p, int[] shape, string op)
    {
        if (p.KH < 1 || p.KW < 1 || p.StrideH < 1 || p.StrideW < 1 || p.DilationH < 1 || p.DilationW < 1
            || p.PadTop < 0 || p.PadLeft < 0 || p.PadBottom < 0 || p.PadRight < 0)
            throw new ArgumentException($"{op}: invalid geometry {p}");
        int[] expected = [p.N, p.C, p.H, p.W];
        if (!expected.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{op}: x has shape {Shapes.Format(shape)}, expected {Shapes.Format(expected)}");
        if (p.OH < 1 || p.OW < 1)
            throw new ArgumentException($"{op}: the {p.KH}×{p.KW} window does not fit the padded input {Shapes.Format(shape)}");
    }

    /// <summary>Throws when some window covers only padding (its maximum would have no input element).</summary>
    public static void CheckNoEmptyWindow(Pool2dParams p, string op)
    {
        if (HasEmpty(p.OH, p.KH, p.StrideH, p.DilationH, p.PadTop, p.H) || HasEmpty(p.OW, p.KW, p.StrideW, p.DilationW, p.PadLeft, p.W))
            throw new ArgumentException($"{op}: some window lies entirely in the padding ({p})");
    }

    private static bool HasEmpty(int outSize, int k, int stride, int dilation, int pad, int size)
    {
        for (int o = 0; o < outSize; o++)
        {
            bool any = false;
            for (int t = 0; t < k && !any; t++)
            {
                int i = o * stride - pad + t * dilation;
                any = i >= 0 && i < size;
            }
            if (!any) return true;
        }
        return false;
    }
}
