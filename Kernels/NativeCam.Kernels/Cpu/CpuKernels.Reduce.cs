using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Reduce(ReduceKind kind, int[] shape, int[] axes, IBuffer x, IBuffer y, IBuffer? argIndex = null)
    {
        KernelChecks.Reduce(kind, shape, axes, x, argIndex);
        long inLen = Shapes.Product(shape);
        int[] arg = argIndex is null ? [] : Arr<int>(argIndex);
        switch (FloatType(x, y))
        {
            case DType.Float32: ReduceT(kind, shape, axes, Arr<float>(x), Arr<float>(y), arg, Lengths(x, y, argIndex), argIndex is not null); break;
            default: ReduceT(kind, shape, axes, Arr<double>(x), Arr<double>(y), arg, Lengths(x, y, argIndex), argIndex is not null); break;
        }
    }

    /// <summary>The buffers' lengths (their arrays may be longer: planned blocks).</summary>
    private static (int X, int Y, int Arg) Lengths(IBuffer x, IBuffer y, IBuffer? arg) => ((int)x.Length, (int)y.Length, (int)(arg?.Length ?? 0));

    private void ReduceT<T>(ReduceKind kind, int[] shape, int[] axes, T[] x, T[] y, int[] arg, (int X, int Y, int Arg) len, bool wantArg)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // collapse to alternating kept/reduced groups (size-1 dims dropped); [outer, reduced, inner] takes the fast path
        var groups = new List<(long Size, bool Reduced)>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            bool isRed = Array.IndexOf(axes, d) >= 0;
            if (groups.Count > 0 && groups[^1].Reduced == isRed) groups[^1] = (groups[^1].Size * shape[d], isRed);
            else groups.Add((shape[d], isRed));
        }
        int ri = groups.FindIndex(g => g.Reduced);
        bool simple = ri < 0 || groups.FindLastIndex(g => g.Reduced) == ri;
        if (Simd == SimdLevel.Scalar || !simple || len.X == 0)
        {
            ReduceScalar(kind, shape, axes, x.AsSpan(0, len.X), y.AsSpan(0, len.Y), arg.AsSpan(0, len.Arg), wantArg);
            return;
        }
        long outer = 1, red = 1, inner = 1;
        for (int g = 0; g < groups.Count; g++)
        {
            if (ri < 0 || g < ri) outer *= groups[g].Size;
            else if (g == ri) red = groups[g].Size;
            else inner *= groups[g].Size;
        }
        if (len.Y != outer * inner) throw new ArgumentException($"reduce output has {len.Y} elements, expected {outer * inner}");
        if (wantArg && len.Arg != len.Y) throw new ArgumentException("argIndex length differs from the output");
        var op = new ReduceOp(kind, (int)outer, (int)red, (int)inner, wantArg);
        if (typeof(T) == typeof(float))
        {
            var (xf, yf) = ((float[])(object)x, (float[])(object)y);
            if (Use512) ReduceRun<V512F, Vector512<float>, float>(op, xf, yf, arg); else ReduceRun<V256F, Vector256<float>, float>(op, xf, yf, arg);
        }
        else
        {
            var (xd, yd) = ((double[])(object)x, (double[])(object)y);
            if (Use512) ReduceRun<V512D, Vector512<double>, double>(op, xd, yd, arg); else ReduceRun<V256D, Vector256<double>, double>(op, xd, yd, arg);
        }
    }

    private readonly record struct ReduceOp(ReduceKind Kind, int Outer, int Red, int Inner, bool WantArg);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReduceRun<TOps, TV, T>(ReduceOp op, T[] x, T[] y, int[] arg)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        long work = (long)op.Outer * op.Red * op.Inner;
        if (op.Inner == 1 && op.Outer < Threads && op.Red >= ElementwiseChunk)
        {
            // few long rows: split each row into pieces, reduce them in parallel, combine in order
            int pieces = Threads * 4, per = (op.Red + pieces - 1) / pieces;
            per = (per + 63) & ~63;
            pieces = (op.Red + per - 1) / per;
            var vals = new T[pieces]; var idx = new int[pieces];
            for (int o = 0; o < op.Outer; o++)
            {
                int row = o * op.Red;
                ParallelFor(pieces, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (k) =>
                {
                    int s = k * per;
                    (vals[k], idx[k]) = ReduceRow<TOps, TV, T>(op.Kind, x, row + s, Math.Min(per, op.Red - s), op.WantArg);
                });
                (y[o], int best) = (vals[0], idx[0]);
                for (int k = 1; k < pieces; k++)
                {
                    if (op.Kind == ReduceKind.Sum) y[o] += vals[k];
                    else if (Beats(op.Kind, vals[k], y[o])) (y[o], best) = (vals[k], idx[k]);
                }
                if (op.WantArg) arg[o] = best;
            }
            return;
        }
        if (op.Inner == 1)
        {
            int rowsPer = (int)Math.Max(1, ElementwiseChunk / Math.Max(1, op.Red));
            int tasks = (op.Outer + rowsPer - 1) / rowsPer;
            ParallelFor(tasks, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
            {
                for (int o = t * rowsPer, end = Math.Min(op.Outer, o + rowsPer); o < end; o++)
                {
                    (y[o], int best) = ReduceRow<TOps, TV, T>(op.Kind, x, o * op.Red, op.Red, op.WantArg);
                    if (op.WantArg) arg[o] = best;
                }
            });
            return;
        }
        // inner > 1: reduce down columns, a strip of the inner run at a time
        int strip = Math.Max(TOps.Count, Math.Min(op.Inner, (int)Math.Max(256, ElementwiseChunk / Math.Max(1, op.Red))));
        int strips = (op.Inner + strip - 1) / strip;
        ParallelFor(op.Outer * strips, work, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
        {
            int o = t / strips, i0 = t % strips * strip;
            ReduceColumns<TOps, TV, T>(op, x, y, arg, o, i0, Math.Min(strip, op.Inner - i0));
        });
    }

    /// <summary>True when <paramref name="v"/> replaces the running extreme <paramref name="acc"/> (strictly better,
    /// or the first NaN: NaN propagates and is the extreme).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Beats<T>(ReduceKind kind, T v, T acc) where T : IFloatingPointIeee754<T> =>
        (kind == ReduceKind.Max ? v > acc : v < acc) || (T.IsNaN(v) && !T.IsNaN(acc));

    /// <summary>Reduces x[s..s+n) (n ≥ 1): (value, flat index of the first extreme; s for Sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (T, int) ReduceRow<TOps, TV, T>(ReduceKind kind, T[] x, int s, int n, bool wantArg)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (kind == ReduceKind.Sum) return (SumPairwise<TOps, TV, T>(ref x[s], n), s);
        int w = TOps.Count, i = 0;
        ref T r = ref x[s];
        T m = x[s];
        if (n >= w)
        {
            TV acc = TOps.Load(ref r, 0);
            for (i = w; i <= n - w; i += w)
                acc = kind == ReduceKind.Max ? TOps.Max(acc, TOps.Load(ref r, (nuint)i)) : TOps.Min(acc, TOps.Load(ref r, (nuint)i));
            m = TOps.Lane(acc, 0);
            for (int l = 1; l < w; l++) { T v = TOps.Lane(acc, l); if (Beats(kind, v, m)) m = v; }
        }
        for (; i < n; i++) if (Beats(kind, x[s + i], m)) m = x[s + i];
        if (!wantArg) return (m, s);
        // second pass: the first element equal to the extreme (or the first NaN)
        bool nan = T.IsNaN(m);
        for (int k = 0; k < n; k++) { T v = x[s + k]; if (nan ? T.IsNaN(v) : v == m) return (v, s + k); }
        return (m, s);
    }

    /// <summary>Σ x[0..n): blocks of 1024 by SIMD with 4 accumulators (one below four vectors), blocks combined
    /// pairwise (error O(log n)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T SumPairwise<TOps, TV, T>(ref T x, int n)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (n > 1024)
        {
            int half = (n / 2 + 63) & ~63;
            return SumPairwise<TOps, TV, T>(ref x, half) + SumPairwise<TOps, TV, T>(ref Unsafe.Add(ref x, half), n - half);
        }
        int w = TOps.Count, i = 0;
        T sum = T.Zero;
        if (n >= 4 * w)
        {
            TV a0 = TOps.Load(ref x, 0), a1 = TOps.Load(ref x, (nuint)w), a2 = TOps.Load(ref x, (nuint)(2 * w)), a3 = TOps.Load(ref x, (nuint)(3 * w));
            for (i = 4 * w; i <= n - 4 * w; i += 4 * w)
            {
                a0 = TOps.Add(a0, TOps.Load(ref x, (nuint)i));
                a1 = TOps.Add(a1, TOps.Load(ref x, (nuint)(i + w)));
                a2 = TOps.Add(a2, TOps.Load(ref x, (nuint)(i + 2 * w)));
                a3 = TOps.Add(a3, TOps.Load(ref x, (nuint)(i + 3 * w)));
            }
            for (; i <= n - w; i += w) a0 = TOps.Add(a0, TOps.Load(ref x, (nuint)i));
            sum = TOps.Sum(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)));
        }
        else if (n >= w)
        {
            // one to three vectors (a 7×7 plane is 49 = 3·16 + 1 with Vector512): one accumulator, not n scalar adds
            TV a0 = TOps.Load(ref x, 0);
            for (i = w; i <= n - w; i += w) a0 = TOps.Add(a0, TOps.Load(ref x, (nuint)i));
            sum = TOps.Sum(a0);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref x, i);
        return sum;
    }

    /// <summary>y[o, i0..i0+n) = reduce over r of x[o, r, i0..i0+n). Sums add 64-row blocks into a running total.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceColumns<TOps, TV, T>(ReduceOp op, T[] x, T[] y, int[] arg, int o, int i0, int n)
        where TOps : IVec<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inner = op.Inner, w = TOps.Count, i = 0;
        int baseX = o * op.Red * inner + i0, baseY = o * inner + i0;
        ref T xr = ref x[baseX];
        if (op.WantArg)
        {
            // streaming scalar compare keeps the first extreme per column
            for (int k = 0; k < n; k++) { y[baseY + k] = x[baseX + k]; arg[baseY + k] = baseX + k; }
            for (int r = 1; r < op.Red; r++)
                for (int k = 0; k < n; k++)
                {
                    int at = baseX + r * inner + k;
                    if (Beats(op.Kind, x[at], y[baseY + k])) { y[baseY + k] = x[at]; arg[baseY + k] = at; }
                }
            return;
        }
        for (; i <= n - w; i += w)
        {
            TV acc = TOps.Load(ref xr, (nuint)i);
            if (op.Kind == ReduceKind.Sum)
            {
                for (int r0 = 1; r0 < op.Red; r0 += 64)
                {
                    TV part = TOps.Load(ref xr, (nuint)(r0 * inner + i));
                    for (int r = r0 + 1, e = Math.Min(op.Red, r0 + 64); r < e; r++) part = TOps.Add(part, TOps.Load(ref xr, (nuint)(r * inner + i)));
                    acc = TOps.Add(acc, part);
                }
            }
            else if (op.Kind == ReduceKind.Max)
                for (int r = 1; r < op.Red; r++) acc = TOps.Max(acc, TOps.Load(ref xr, (nuint)(r * inner + i)));
            else
                for (int r = 1; r < op.Red; r++) acc = TOps.Min(acc, TOps.Load(ref xr, (nuint)(r * inner + i)));
            TOps.Store(acc, ref y[baseY], (nuint)i);
        }
        for (; i < n; i++)
        {
            T acc = x[baseX + i];
            for (int r = 1; r < op.Red; r++)
            {
                T v = x[baseX + r * inner + i];
                if (op.Kind == ReduceKind.Sum) acc += v; else if (Beats(op.Kind, v, acc)) acc = v;
            }
            y[baseY + i] = acc;
        }
    }

    /// <summary>The general path (any axes): odometer over kept indices, then over reduced ones; no transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReduceScalar<T>(ReduceKind kind, int[] shape, int[] axes, Span<T> x, Span<T> y, Span<int> arg, bool wantArg)
        where T : IFloatingPointIeee754<T>
    {
        int rank = shape.Length;
        var strides = Shapes.Strides(shape);
        var kept = Enumerable.Range(0, rank).Where(d => Array.IndexOf(axes, d) < 0).ToArray();
        int[] keptShape = kept.Select(d => shape[d]).ToArray();
        int[] redShape = axes.Select(d => shape[d]).ToArray();
        long outLen = Shapes.Product(keptShape), redLen = Shapes.Product(redShape);
        if (y.Length != outLen) throw new ArgumentException($"reduce output has {y.Length} elements, expected {outLen}");
        if (wantArg && arg.Length != outLen) throw new ArgumentException("argIndex length differs from the output");
        if (wantArg && redLen == 0 && outLen > 0) throw new ArgumentException($"arg-reduce over an empty axis of shape {Shapes.Format(shape)}");
        Span<int> ki = stackalloc int[Math.Max(kept.Length, 1)];
        Span<int> ri = stackalloc int[Math.Max(axes.Length, 1)];
        ki.Clear();
        for (long o = 0; o < outLen; o++)
        {
            long baseOff = 0;
            for (int k = 0; k < kept.Length; k++) baseOff += ki[k] * strides[kept[k]];
            ri.Clear();
            T acc = kind switch { ReduceKind.Sum => T.Zero, ReduceKind.Max => T.NegativeInfinity, _ => T.PositiveInfinity };
            long best = baseOff;
            for (long r = 0; r < redLen; r++)
            {
                long off = baseOff;
                for (int k = 0; k < axes.Length; k++) off += ri[k] * strides[axes[k]];
                T v = x[(int)off];
                if (kind == ReduceKind.Sum) acc += v;
                else if (r == 0 || Beats(kind, v, acc)) { acc = v; best = off; }
                for (int d = axes.Length - 1; d >= 0; d--) { if (++ri[d] < redShape[d]) break; ri[d] = 0; }
            }
            y[(int)o] = acc;
            if (wantArg) arg[(int)o] = (int)best;
            for (int d = kept.Length - 1; d >= 0; d--) { if (++ki[d] < keptShape[d]) break; ki[d] = 0; }
        }
    }
}
