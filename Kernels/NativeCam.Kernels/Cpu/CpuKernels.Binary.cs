using System.Numerics;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Binary(BinaryKind kind, BroadcastParams p, IBuffer a, IBuffer b, IBuffer y)
    {
        if (y.Length != p.OutLength) throw new ArgumentException($"binary {kind}: output has {y.Length} elements, shape {Shapes.Format(p.OutShape)} needs {p.OutLength}");
        switch (FloatType(a, b, y))
        {
            case DType.Float32: BinaryScalar(kind, p, Host<float>(a), Host<float>(b), Host<float>(y)); break;
            default: BinaryScalar(kind, p, Host<double>(a), Host<double>(b), Host<double>(y)); break;
        }
    }

    /// <inheritdoc/>
    public void Where(BroadcastParams p, IBuffer cond, IBuffer a, IBuffer b, IBuffer y)
    {
        if (p.StridesC is null) throw new ArgumentException("where needs three stride sets");
        switch (FloatType(cond, a, b, y))
        {
            case DType.Float32: WhereScalar(p, Host<float>(cond), Host<float>(a), Host<float>(b), Host<float>(y)); break;
            default: WhereScalar(p, Host<double>(cond), Host<double>(a), Host<double>(b), Host<double>(y)); break;
        }
    }

    internal static T BinaryScalarOne<T>(BinaryKind kind, T a, T b) where T : IFloatingPointIeee754<T> => kind switch
    {
        BinaryKind.Add => a + b,
        BinaryKind.Sub => a - b,
        BinaryKind.Mul => a * b,
        BinaryKind.Div => a / b,
        BinaryKind.Pow => T.Pow(a, b),
        BinaryKind.Max => T.Max(a, b),
        BinaryKind.Min => T.Min(a, b),
        BinaryKind.Greater => a > b ? T.One : T.Zero,
        BinaryKind.Less => a < b ? T.One : T.Zero,
        BinaryKind.Equal => a == b ? T.One : T.Zero,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown binary kind"),
    };

    private static void BinaryScalar<T>(BinaryKind kind, BroadcastParams p, Span<T> a, Span<T> b, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        int rank = p.OutShape.Length;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        long ia = 0, ib = 0;
        for (long o = 0; o < y.Length; o++)
        {
            y[(int)o] = BinaryScalarOne(kind, a[(int)ia], b[(int)ib]);
            // odometer increment of the output index, moving the operand offsets along
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++; ia += p.StridesA[d]; ib += p.StridesB[d];
                if (idx[d] < p.OutShape[d]) break;
                ia -= (long)p.StridesA[d] * idx[d]; ib -= (long)p.StridesB[d] * idx[d]; idx[d] = 0;
            }
        }
    }

    private static void WhereScalar<T>(BroadcastParams p, Span<T> c, Span<T> a, Span<T> b, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        int rank = p.OutShape.Length;
        var sc = p.StridesA; var sa = p.StridesB; var sb = p.StridesC!;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        long ic = 0, ia = 0, ib = 0;
        for (long o = 0; o < y.Length; o++)
        {
            y[(int)o] = c[(int)ic] != T.Zero ? a[(int)ia] : b[(int)ib];
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++; ic += sc[d]; ia += sa[d]; ib += sb[d];
                if (idx[d] < p.OutShape[d]) break;
                ic -= (long)sc[d] * idx[d]; ia -= (long)sa[d] * idx[d]; ib -= (long)sb[d] * idx[d]; idx[d] = 0;
            }
        }
    }
}
