using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Pooling;

namespace NativeCam.Kernels.Cpu;

// Bilinear resize R = Ry ⊗ Rx is separable. Forward: each needed input row is resized horizontally once (a row
// cache of two slots, since output rows read input rows in nondecreasing order), then output rows blend two cached
// rows (SIMD). Backward: dx = Ryᵀ·dy·Rx; each input row gathers the dy rows that read it (a CSR table of Ryᵀ,
// SIMD axpy), then scatters that row through Rxᵀ. Work items are (plane, block of rows).
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y)
    {
        ResizeCheck(p, x, y, "resize");
        if (FloatType(x, y) == DType.Float32) ResizeForward(p, KernelArrays.Of<float>(this, x), KernelArrays.Of<float>(this, y));
        else ResizeForward(p, KernelArrays.Of<double>(this, x), KernelArrays.Of<double>(this, y));
    }

    /// <inheritdoc/>
    public void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx)
    {
        ResizeCheck(p, dx, dy, "resize backward");
        if (FloatType(dy, dx) == DType.Float32) ResizeBackward(p, KernelArrays.Of<float>(this, dy), KernelArrays.Of<float>(this, dx));
        else ResizeBackward(p, KernelArrays.Of<double>(this, dy), KernelArrays.Of<double>(this, dx));
    }

    private static void ResizeCheck(ResizeParams p, IBuffer x, IBuffer y, string what)
    {
        if (p.Planes < 0 || p.InH < 1 || p.InW < 1 || p.OutH < 1 || p.OutW < 1) throw new ArgumentException($"{what}: invalid {p}");
        long xl = (long)p.Planes * p.InH * p.InW, yl = (long)p.Planes * p.OutH * p.OutW;
        if (x.Length != xl) throw new ArgumentException($"{what}: input has {x.Length} elements, expected {xl}");
        if (y.Length != yl) throw new ArgumentException($"{what}: output has {y.Length} elements, expected {yl}");
    }

    private void ResizeForward<T>(ResizeParams p, T[] x, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ty = new ResizeTable<T>(p.InH, p.OutH, p.AlignCorners);
        var tx = new ResizeTable<T>(p.InW, p.OutW, p.AlignCorners);
        int chunks = PoolMath.RowChunks(p.Planes, p.OutH, Threads);
        var s = Simd;
        ParallelFor(p.Planes * chunks, 4L * p.Planes * p.OutH * p.OutW, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (it) =>
        {
            int plane = it / chunks, c = it % chunks;
            ResizeRows(s, p, ty, tx, x, y, plane, c * p.OutH / chunks, (c + 1) * p.OutH / chunks);
        });
    }

    /// <summary>Output rows [oh0, oh1) of one plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ResizeRows<T>(SimdLevel s, ResizeParams p, ResizeTable<T> ty, ResizeTable<T> tx, T[] x, T[] y,
        int plane, int oh0, int oh1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (oh0 >= oh1) return;
        int OW = p.OutW;
        T[] b0 = KernelArrays.Rent<T>(OW), b1 = KernelArrays.Rent<T>(OW);
        int tag0 = -1, tag1 = -1;
        try
        {
            for (int oh = oh0; oh < oh1; oh++)
            {
                int r0 = ty.I0[oh], r1 = ty.I1[oh];
                // slot 0 ends up holding r0, slot 1 holds r1 (swap buffers rather than recompute)
                if (tag0 != r0)
                {
                    if (tag1 == r0) { (b0, b1) = (b1, b0); (tag0, tag1) = (tag1, tag0); }
                    else { ResizeRowH(p, tx, x, plane, r0, b0); tag0 = r0; }
                }
                if (r1 != r0 && tag1 != r1) { ResizeRowH(p, tx, x, plane, r1, b1); tag1 = r1; }
                RowOps.Blend(s, y.AsSpan((plane * p.OutH + oh) * OW, OW), b0.AsSpan(0, OW), ty.W0[oh],
                    (r1 == r0 ? b0 : b1).AsSpan(0, OW), ty.W1[oh]);
            }
        }
        finally
        {
            KernelArrays.Return(b0);
            KernelArrays.Return(b1);
        }
    }

    /// <summary>h[ow] = w0·x[row, i0] + w1·x[row, i1] (one input row resized horizontally).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ResizeRowH<T>(ResizeParams p, ResizeTable<T> tx, T[] x, int plane, int row, T[] h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xr = x.AsSpan((plane * p.InH + row) * p.InW, p.InW);
        int[] i0 = tx.I0, i1 = tx.I1;
        T[] w0 = tx.W0, w1 = tx.W1;
        for (int o = 0; o < p.OutW; o++) h[o] = w0[o] * xr[i0[o]] + w1[o] * xr[i1[o]];
    }

    private void ResizeBackward<T>(ResizeParams p, T[] dy, T[] dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ty = new ResizeTable<T>(p.InH, p.OutH, p.AlignCorners);
        var tx = new ResizeTable<T>(p.InW, p.OutW, p.AlignCorners);
        var (start, outIdx, weight) = ty.Transposed(p.InH);
        int chunks = PoolMath.RowChunks(p.Planes, p.InH, Threads);
        var s = Simd;
        ParallelFor(p.Planes * chunks, 4L * p.Planes * p.OutH * p.OutW, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (it) =>
        {
            int plane = it / chunks, c = it % chunks;
            ResizeBackwardRows(s, p, tx, start, outIdx, weight, dy, dx, plane, c * p.InH / chunks, (c + 1) * p.InH / chunks);
        });
    }

    /// <summary>Input rows [ih0, ih1) of one plane of the adjoint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ResizeBackwardRows<T>(SimdLevel s, ResizeParams p, ResizeTable<T> tx, int[] start, int[] outIdx, T[] weight,
        T[] dy, T[] dx, int plane, int ih0, int ih1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (ih0 >= ih1) return;
        int OW = p.OutW, IW = p.InW;
        T[] accBuf = KernelArrays.Rent<T>(OW);
        int[] i0 = tx.I0, i1 = tx.I1;
        T[] w0 = tx.W0, w1 = tx.W1;
        try
        {
            Span<T> acc = accBuf.AsSpan(0, OW);
            for (int ih = ih0; ih < ih1; ih++)
            {
                Span<T> d = dx.AsSpan((plane * p.InH + ih) * IW, IW);
                d.Clear();
                if (start[ih] == start[ih + 1]) continue;
                // acc = Σ over the output rows that read input row ih of weight · dy[oh]
                acc.Clear();
                for (int e = start[ih]; e < start[ih + 1]; e++)
                    RowOps.Axpy(s, acc, dy.AsSpan((plane * p.OutH + outIdx[e]) * OW, OW), weight[e]);
                // d = Rxᵀ acc
                for (int o = 0; o < OW; o++)
                {
                    T a = acc[o];
                    d[i0[o]] += w0[o] * a;
                    d[i1[o]] += w1[o] * a;
                }
            }
        }
        finally { KernelArrays.Return(accBuf); }
    }
}
