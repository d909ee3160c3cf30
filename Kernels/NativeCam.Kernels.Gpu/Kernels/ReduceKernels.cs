using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// Sum / Max / Min over any axes. The host collapses x's shape into kept and reduced dimension groups: output o
/// starts at x offset kept.OffsetA(o) and its r-th reduced element lies red.OffsetA(r) further (row-major over
/// the reduced axes, so flat indices grow with r). Short reductions run one thread per output; long ones one
/// group per output with a fixed per-thread partition and a <see cref="GroupTree"/>: both deterministic.
/// kind: 0 Sum, 1 Max, 2 Min (<see cref="ReduceKind"/>).
/// </summary>
internal static class ReduceKernels
{
    public static void PerThread<T, TOps>(ArrayView<T> x, ArrayView<T> y, ArrayView<int> arg,
        StridedLayout kept, StridedLayout red, int outLen, int redLen, int kind, int wantArg)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        for (int o = GridStride.Start; o < outLen; o += GridStride.Step) ReduceOne<T, TOps>(o, x, y, arg, kept, red, redLen, kind, wantArg);
    }

    private static void ReduceOne<T, TOps>(int o, ArrayView<T> x, ArrayView<T> y, ArrayView<int> arg,
        StridedLayout kept, StridedLayout red, int redLen, int kind, int wantArg)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        int baseOff = kept.OffsetA(o);
        bool contiguous = red.Rank <= 1;
        int step = red.A0;
        if (kind == (int)ReduceKind.Sum)
        {
            T s = ops.From(0);
            if (contiguous)
            {
                // four partial sums (ILGPU does not unroll): fixed order, so still deterministic
                T s1 = s, s2 = s, s3 = s;
                int r = 0, at = baseOff;
                for (; r + 4 <= redLen; r += 4, at += 4 * step)
                {
                    s = ops.Add(s, x[at]);
                    s1 = ops.Add(s1, x[at + step]);
                    s2 = ops.Add(s2, x[at + 2 * step]);
                    s3 = ops.Add(s3, x[at + 3 * step]);
                }
                for (; r < redLen; r++, at += step) s = ops.Add(s, x[at]);
                s = ops.Add(ops.Add(s, s1), ops.Add(s2, s3));
            }
            else
                for (int r = 0; r < redLen; r++) s = ops.Add(s, x[baseOff + red.OffsetA(r)]);
            y[o] = s;
            return;
        }
        bool max = kind == (int)ReduceKind.Max;
        T acc = x[baseOff];
        int best = baseOff;
        for (int r = 1; r < redLen; r++)
        {
            int at = contiguous ? baseOff + r * step : baseOff + red.OffsetA(r);
            T v = x[at];
            if (GroupTree.Takes<T, TOps>(max, v, at, acc, best)) { acc = v; best = at; }
        }
        y[o] = acc;
        if (wantArg != 0) arg[o] = best;
    }

    /// <summary>Groups take outputs Grid.IdxX, Grid.IdxX + Grid.DimX, … (uniform per group, so the barriers inside
    /// are reached by every thread).</summary>
    public static void PerGroup<T, TOps>(ArrayView<T> x, ArrayView<T> y, ArrayView<int> arg,
        StridedLayout kept, StridedLayout red, int outLen, int redLen, int kind, int wantArg)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var sv = SharedMemory.Allocate<T>(GroupTree.MaxSize);
        var si = SharedMemory.Allocate<int>(GroupTree.MaxSize);
        for (int o = Grid.IdxX; o < outLen; o += Grid.DimX) GroupOne<T, TOps>(o, sv, si, x, y, arg, kept, red, redLen, kind, wantArg);
    }

    private static void GroupOne<T, TOps>(int o, ArrayView<T> sv, ArrayView<int> si, ArrayView<T> x, ArrayView<T> y, ArrayView<int> arg,
        StridedLayout kept, StridedLayout red, int redLen, int kind, int wantArg)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        int t = Group.IdxX;
        int baseOff = kept.OffsetA(o);
        bool contiguous = red.Rank <= 1;
        if (kind == (int)ReduceKind.Sum)
        {
            T s = ops.From(0);
            for (int r = t; r < redLen; r += Group.DimX) s = ops.Add(s, x[baseOff + (contiguous ? r * red.A0 : red.OffsetA(r))]);
            T total = GroupTree.Sum<T, TOps>(s, sv);
            if (t == 0) y[o] = total;
            return;
        }
        bool max = kind == (int)ReduceKind.Max;
        T acc = ops.From(max ? double.NegativeInfinity : double.PositiveInfinity);
        int best = int.MaxValue;
        for (int r = t; r < redLen; r += Group.DimX)
        {
            int at = baseOff + (contiguous ? r * red.A0 : red.OffsetA(r));
            T v = x[at];
            if (GroupTree.Takes<T, TOps>(max, v, at, acc, best)) { acc = v; best = at; }
        }
        sv[t] = acc;
        si[t] = best;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s && GroupTree.Takes<T, TOps>(max, sv[t + s], si[t + s], sv[t], si[t]))
            {
                sv[t] = sv[t + s];
                si[t] = si[t + s];
            }
            Group.Barrier();
        }
        if (t == 0)
        {
            y[o] = sv[0];
            if (wantArg != 0) arg[o] = si[0];
        }
        Group.Barrier(); // the shared arrays are reused by the next output
    }
}
