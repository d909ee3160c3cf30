using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void StridedCopy(StridedCopyParams p, IBuffer source, IBuffer destination)
    {
        if (source.DType != destination.DType) throw new ArgumentException($"strided copy {source.DType} → {destination.DType}");
        var plan = StridePlan.Create(p.Shape, p.SrcStrides, p.DstStrides);
        if (plan.Length == 0) return;
        var (slo, shi) = plan.Reach(0, p.SrcOffset);
        var (dlo, dhi) = plan.Reach(1, p.DstOffset);
        if (slo < 0 || shi >= source.Length) throw new ArgumentOutOfRangeException(nameof(p), $"strided copy reads source [{slo}, {shi}] of {source.Length} elements");
        if (dlo < 0 || dhi >= destination.Length) throw new ArgumentOutOfRangeException(nameof(p), $"strided copy writes destination [{dlo}, {dhi}] of {destination.Length} elements");
        switch (source.DType)
        {
            case DType.Float32: StridedCopyT(plan, p, Arr<float>(source), Arr<float>(destination)); break;
            case DType.Float64: StridedCopyT(plan, p, Arr<double>(source), Arr<double>(destination)); break;
            default: StridedCopyT(plan, p, Arr<int>(source), Arr<int>(destination)); break;
        }
    }

    /// <summary>Copies inner runs of the collapsed plan: a block copy when both are contiguous, a fill when the source
    /// is constant along the run (expand), else a strided element loop. Rows are split over threads unless some
    /// destination stride is 0 (writes would collide).</summary>
    private void StridedCopyT<T>(StridePlan plan, StridedCopyParams p, T[] src, T[] dst) where T : unmanaged
    {
        bool parallel = plan.Strides[1].All(s => s != 0);
        if (parallel) Chunked(plan.Length, (s, n) => CopyRange(plan, src, p.SrcOffset, dst, p.DstOffset, s, n));
        else CopyRange(plan, src, p.SrcOffset, dst, p.DstOffset, 0, plan.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRange<T>(StridePlan p, T[] src, long srcBase, T[] dst, long dstBase, long start, long count) where T : unmanaged
    {
        Span<int> idx = stackalloc int[p.Rank];
        Span<long> off = stackalloc long[2];
        p.Seek(start, idx, off);
        long ss = p.Strides[0][^1], ds = p.Strides[1][^1];
        int inner = p.Inner;
        for (long done = 0; done < count;)
        {
            int len = (int)Math.Min(inner - idx[^1], count - done);
            int s = (int)(srcBase + off[0]), d = (int)(dstBase + off[1]);
            if (ss == 1 && ds == 1) src.AsSpan(s, len).CopyTo(dst.AsSpan(d, len));
            else if (ss == 0 && ds == 1) dst.AsSpan(d, len).Fill(src[s]);
            else for (int i = 0; i < len; i++) dst[d + i * ds] = src[s + i * ss];
            done += len; idx[^1] += len;
            off[0] += ss * len; off[1] += ds * len;
            if (idx[^1] == inner && done < count) p.NextRow(idx, off);
        }
    }

    /// <summary>Throws naming the first index outside [0, bound).</summary>
    private static void CheckIndices(ReadOnlySpan<int> idx, long bound, string what)
    {
        for (int i = 0; i < idx.Length; i++)
            if ((uint)idx[i] >= (ulong)bound)
                throw new ArgumentOutOfRangeException("index", idx[i], $"{what}: index[{i}] = {idx[i]} is outside [0, {bound})");
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void GatherFlat(IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Arr<int>(index);
        if (index.Length != y.Length) throw new ArgumentException("gather: index and output lengths differ");
        CheckIndices(Host<int>(index), x.Length, "gather");
        switch (FloatType(x, y))
        {
            case DType.Float32: { var xs = Arr<float>(x); var ys = Arr<float>(y); Chunked(index.Length, (s, n) => { for (int i = s; i < s + n; i++) ys[i] = xs[idx[i]]; }); break; }
            default: { var xs = Arr<double>(x); var ys = Arr<double>(y); Chunked(index.Length, (s, n) => { for (int i = s; i < s + n; i++) ys[i] = xs[idx[i]]; }); break; }
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ScatterAddFlat(IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Host<int>(index);
        if (idx.Length != x.Length) throw new ArgumentException("scatter: index and source lengths differ");
        CheckIndices(idx, y.Length, "scatter");
        // sequential: duplicate indices accumulate in index order
        switch (FloatType(x, y))
        {
            case DType.Float32: { var xs = Host<float>(x); var ys = Host<float>(y); for (int i = 0; i < idx.Length; i++) ys[idx[i]] += xs[i]; break; }
            default: { var xs = Host<double>(x); var ys = Host<double>(y); for (int i = 0; i < idx.Length; i++) ys[idx[i]] += xs[i]; break; }
        }
    }

    /// <inheritdoc/>
    public void GatherAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Arr<int>(index);
        if (index.Length != p.Count) throw new ArgumentException("gather: index length differs from Count");
        CheckGather(p, x.Length, y.Length, "gather");
        CheckIndices(Host<int>(index), p.Axis, "gather");
        switch (FloatType(x, y))
        {
            case DType.Float32: GatherAxisT(p, Arr<float>(x), idx, Arr<float>(y), false); break;
            default: GatherAxisT(p, Arr<double>(x), idx, Arr<double>(y), false); break;
        }
    }

    /// <inheritdoc/>
    public void ScatterAddAxis(GatherParams p, IBuffer x, IBuffer index, IBuffer y)
    {
        var idx = Arr<int>(index);
        if (index.Length != p.Count) throw new ArgumentException("scatter: index length differs from Count");
        CheckGather(p, y.Length, x.Length, "scatter");
        CheckIndices(Host<int>(index), p.Axis, "scatter");
        switch (FloatType(x, y))
        {
            case DType.Float32: GatherAxisT(p, Arr<float>(y), idx, Arr<float>(x), true); break;
            default: GatherAxisT(p, Arr<double>(y), idx, Arr<double>(x), true); break;
        }
    }

    private static void CheckGather(GatherParams p, long big, long small, string what)
    {
        if (p.Outer < 0 || p.Axis < 0 || p.Inner < 0 || p.Count < 0) throw new ArgumentException($"{what}: negative extent in {p}");
        if ((long)p.Outer * p.Axis * p.Inner != big) throw new ArgumentException($"{what}: [Outer, Axis, Inner] = {p.Outer * (long)p.Axis * p.Inner} elements, buffer has {big}");
        if ((long)p.Outer * p.Count * p.Inner != small) throw new ArgumentException($"{what}: [Outer, Count, Inner] = {p.Outer * (long)p.Count * p.Inner} elements, buffer has {small}");
    }

    /// <summary>gather: small[o,m,i] = big[o,idx[m],i]; scatter (adjoint): big[o,idx[m],i] += small[o,m,i].
    /// Parallel over o (and over m for gather); scatter keeps m sequential so duplicate indices never race.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GatherAxisT<T>(GatherParams p, T[] big, int[] idx, T[] small, bool scatter) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long work = (long)p.Outer * p.Count * p.Inner;
        int tasks = scatter ? p.Outer : p.Outer * p.Count;
        ParallelFor(tasks, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
        {
            int o = scatter ? t : t / p.Count;
            int m0 = scatter ? 0 : t % p.Count, m1 = scatter ? p.Count : m0 + 1;
            for (int m = m0; m < m1; m++)
            {
                var b = big.AsSpan((o * p.Axis + idx[m]) * p.Inner, p.Inner);
                var s = small.AsSpan((o * p.Count + m) * p.Inner, p.Inner);
                if (scatter) AddInto(b, s); else b.CopyTo(s);
            }
        });
    }

    /// <summary>d += s elementwise (SIMD via System.Numerics.Vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddInto<T>(Span<T> d, ReadOnlySpan<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0, w = Vector<T>.Count;
        for (; i <= d.Length - w; i += w) (new Vector<T>(d[i..]) + new Vector<T>(s[i..])).CopyTo(d[i..]);
        for (; i < d.Length; i++) d[i] += s[i];
    }
}
