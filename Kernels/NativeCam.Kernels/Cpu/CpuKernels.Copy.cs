namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination)
    {
        if (source.DType != destination.DType) throw new ArgumentException($"strided copy {source.DType} → {destination.DType}");
        switch (source.DType)
        {
            case DType.Float32: StridedCopyScalar(p, Host<float>(source), Host<float>(destination)); break;
            case DType.Float64: StridedCopyScalar(p, Host<double>(source), Host<double>(destination)); break;
            default: StridedCopyScalar(p, Host<int>(source), Host<int>(destination)); break;
        }
    }

    private static void StridedCopyScalar<T>(StridedCopyParams p, Span<T> src, Span<T> dst) where T : unmanaged
    {
        int rank = p.Shape.Length;
        long n = Shapes.Product(p.Shape);
        if (n == 0) return;
        Span<int> idx = stackalloc int[Math.Max(rank, 1)];
        idx.Clear();
        long s = p.SrcOffset, d = p.DstOffset;
        for (long i = 0; i < n; i++)
        {
            dst[checked((int)d)] = src[checked((int)s)];
            for (int k = rank - 1; k >= 0; k--)
            {
                idx[k]++; s += p.SrcStrides[k]; d += p.DstStrides[k];
                if (idx[k] < p.Shape[k]) break;
                s -= p.SrcStrides[k] * idx[k]; d -= p.DstStrides[k] * idx[k]; idx[k] = 0;
            }
        }
    }

    /// <inheritdoc/>
    public void GatherFlat(IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Host<int>(index);
        if (idx.Length != y.Length) throw new ArgumentException("gather: index and output lengths differ");
        switch (FloatType(x, y))
        {
            case DType.Float32: { var xs = Host<float>(x); var ys = Host<float>(y); for (int i = 0; i < idx.Length; i++) ys[i] = xs[idx[i]]; break; }
            default: { var xs = Host<double>(x); var ys = Host<double>(y); for (int i = 0; i < idx.Length; i++) ys[i] = xs[idx[i]]; break; }
        }
    }

    /// <inheritdoc/>
    public void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Host<int>(index);
        if (idx.Length != x.Length) throw new ArgumentException("scatter: index and source lengths differ");
        switch (FloatType(x, y))
        {
            case DType.Float32: { var xs = Host<float>(x); var ys = Host<float>(y); for (int i = 0; i < idx.Length; i++) ys[idx[i]] += xs[i]; break; }
            default: { var xs = Host<double>(x); var ys = Host<double>(y); for (int i = 0; i < idx.Length; i++) ys[idx[i]] += xs[i]; break; }
        }
    }

    /// <inheritdoc/>
    public void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Host<int>(index);
        if (idx.Length != p.Count) throw new ArgumentException("gather: index length differs from Count");
        foreach (int m in idx) if ((uint)m >= (uint)p.Axis) throw new ArgumentOutOfRangeException(nameof(index), m, $"gather index outside [0, {p.Axis})");
        switch (FloatType(x, y))
        {
            case DType.Float32: GatherAxisT(p, Host<float>(x), idx, Host<float>(y), false); break;
            default: GatherAxisT(p, Host<double>(x), idx, Host<double>(y), false); break;
        }
    }

    /// <inheritdoc/>
    public void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Host<int>(index);
        if (idx.Length != p.Count) throw new ArgumentException("scatter: index length differs from Count");
        foreach (int m in idx) if ((uint)m >= (uint)p.Axis) throw new ArgumentOutOfRangeException(nameof(index), m, $"scatter index outside [0, {p.Axis})");
        switch (FloatType(x, y))
        {
            case DType.Float32: GatherAxisT(p, Host<float>(y), idx, Host<float>(x), true); break;
            default: GatherAxisT(p, Host<double>(y), idx, Host<double>(x), true); break;
        }
    }

    /// <summary>gather: small[o,m,i] = big[o,idx[m],i]; scatter (adjoint): big[o,idx[m],i] += small[o,m,i].</summary>
    private static void GatherAxisT<T>(GatherParams p, Span<T> big, Span<int> idx, Span<T> small, bool scatter)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        for (int o = 0; o < p.Outer; o++)
            for (int m = 0; m < p.Count; m++)
            {
                var b = big.Slice((o * p.Axis + idx[m]) * p.Inner, p.Inner);
                var s = small.Slice((o * p.Count + m) * p.Inner, p.Inner);
                if (scatter) for (int i = 0; i < p.Inner; i++) b[i] += s[i];
                else b.CopyTo(s);
            }
    }
}
