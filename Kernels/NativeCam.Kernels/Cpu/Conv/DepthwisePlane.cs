using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>One output plane of a depthwise convolution: its padded input (a <see cref="PhasePlane"/>), weights,
/// epilogue and destination.</summary>
internal unsafe struct DwPlane<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The padded, phase-split input plane.</summary>
    public T* Buf;
    /// <summary>Offset of tap t (row-major over KH×KW) for output row 0.</summary>
    public long* TapOffset;
    /// <summary>Input elements between consecutive output rows (SH padded rows).</summary>
    public nint InRowStep;
    /// <summary>Elements per padded row.</summary>
    public nint RowStride;
    public int OH, OW, Taps;
    /// <summary>KH·KW weights of this output channel.</summary>
    public T* W;
    public T Bias;
    /// <summary>The output plane, and the residual plane shaped like it (or null).</summary>
    public T* Y, Residual;
    /// <summary>Elements between output rows of <see cref="Y"/> (OW, or a vector for short rows via scratch).</summary>
    public nint YStride;
    public Epilogue<T> Act;
    /// <summary>Scratch of <see cref="DepthwisePlane.MaxLanes"/>·OH elements for rows shorter than a vector (needed
    /// only when OW &lt; MaxLanes).</summary>
    public T* Tmp;
}

/// <summary>
/// Forward depthwise kernels over one plane, vectorised along output rows. NCHW is kept: each output row is a sum of
/// KH·KW contiguous, weighted runs of the padded input plane, so no layout change is needed to vectorise, and the
/// plane (≤ 112² values) stays in L1/L2 while it is read KH·KW times; a blocked NCHWc layout would only pay off with
/// the pointwise convolutions around it converted too. Depthwise work is 2·KH·KW flops per 8 bytes moved, so once
/// the plane is cached the loads feeding the FMAs, not DRAM, bound it: the 3×3 stride-1 kernel computes two output
/// rows per pass from four input rows (12 loads per 18 FMAs instead of 18) with the nine weights held in
/// registers; other 3×3 shapes keep the weights in registers one row at a time; larger kernels compute two rows ×
/// two vectors per weight broadcast. Bias, residual and clamp are fused into the store. A row's last partial vector
/// is recomputed as a full vector ending at the row end (identical values), and rows shorter than one vector go
/// through scratch, so the loops hold no call (a call would make the JIT spill the weights).
/// </summary>
internal static unsafe class DepthwisePlane
{
    /// <summary>Lanes of the widest vector (Vector512 of floats): rows shorter than this may take the scratch path.</summary>
    public const int MaxLanes = 16;

    /// <summary>Computes the plane on <paramref name="simd"/>.</summary>
    public static void Run<T>(SimdLevel simd, in DwPlane<T> p, bool pair3x3) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (simd)
        {
            case SimdLevel.Vector512: Run<Dw512<T>, System.Runtime.Intrinsics.Vector512<T>, T>(p, pair3x3); break;
            case SimdLevel.Vector256: Run<Dw256<T>, System.Runtime.Intrinsics.Vector256<T>, T>(p, pair3x3); break;
            default: Scalar(p); return;
        }
        // activations other than clamps run over the finished plane while it is in cache (see Epilogue)
        if (p.Act.IsPost) p.Act.ApplyInPlace(simd, p.Y, p.OH * p.OW);
    }

    private static void Run<TL, TV, T>(in DwPlane<T> p, bool pair3x3)
        where TL : IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (p.OW < TL.Count) { Short<TL, TV, T>(p, pair3x3); return; }
        if (pair3x3) Pair3x3<TL, TV, T>(p);
        else if (p.Taps == 9) Rows9<TL, TV, T>(p);
        else RowsBlocked<TL, TV, T>(p);
    }

    /// <summary>Rows shorter than one vector (7×7 maps): full vectors into a scratch plane with vector-wide rows (the
    /// input rows have the slack to be read that far), then the valid columns out with the residual and clamp (the
    /// same IEEE operations as the vector store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Short<TL, TV, T>(in DwPlane<T> p, bool pair3x3)
        where TL : IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = TL.Count;
        T* tmp = p.Tmp;
        var q = p;
        q.Y = tmp; q.YStride = v; q.OW = v; q.Residual = null; q.Act = default;
        if (pair3x3) Pair3x3<TL, TV, T>(q);
        else if (p.Taps == 9) Rows9<TL, TV, T>(q);
        else RowsBlocked<TL, TV, T>(q);
        // rows out with full vectors while the vector stays inside the plane: it spills into the next rows, which
        // are written after it; the rest element by element
        int oh = 0;
        for (; oh < p.OH - 1 && oh * p.OW + v <= p.OW * p.OH; oh++)
        {
            T* d = p.Y + (nint)oh * p.OW;
            TV a = TL.Load(tmp + oh * v);
            if (p.Residual != null) a = TL.Add(a, TL.Load(p.Residual + (nint)oh * p.OW));
            if (p.Act.Clamps) a = TL.Clamp(a, p.Act.Lo, p.Act.Hi);
            TL.Store(a, d);
        }
        bool clamp = p.Act.Clamps;
        for (; oh < p.OH; oh++)
        {
            T* d = p.Y + (nint)oh * p.OW, r = p.Residual == null ? null : p.Residual + (nint)oh * p.OW;
            for (int j = 0; j < p.OW; j++)
            {
                T a = tmp[oh * v + j];
                if (r != null) a += r[j];
                d[j] = clamp ? T.Min(T.Max(a, p.Act.Lo), p.Act.Hi) : a;
            }
        }
    }

    /// <summary>3×3, stride 1, dilation 1: output rows oh and oh + 1 from padded rows oh … oh + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pair3x3<TL, TV, T>(in DwPlane<T> p)
        where TL : IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = TL.Count, n = p.OW;
        T* w = p.W;
        TV w0 = TL.Splat(w[0]), w1 = TL.Splat(w[1]), w2 = TL.Splat(w[2]), w3 = TL.Splat(w[3]), w4 = TL.Splat(w[4]);
        TV w5 = TL.Splat(w[5]), w6 = TL.Splat(w[6]), w7 = TL.Splat(w[7]), w8 = TL.Splat(w[8]);
        TV vb = TL.Splat(p.Bias);
        nint rs = p.RowStride;
        var act = p.Act;
        int oh = 0;
        for (; oh + 1 < p.OH; oh += 2)
        {
            T* r0 = p.Buf + oh * rs, r1 = r0 + rs, r2 = r1 + rs, r3 = r2 + rs;
            T* d0 = p.Y + oh * p.YStride, d1 = d0 + p.YStride;
            T* e0 = p.Residual == null ? null : p.Residual + oh * p.YStride, e1 = e0 == null ? null : e0 + p.YStride;
            int i = 0;
            for (; i < n; i += v)
            {
                int at = i + v > n ? n - v : i; // the last vector overlaps the previous one: same values
                TV x0 = TL.Load(r0 + at), x1 = TL.Load(r0 + at + 1), x2 = TL.Load(r0 + at + 2);
                TV a0 = TL.Fma(x0, w0, vb);
                a0 = TL.Fma(x1, w1, a0); a0 = TL.Fma(x2, w2, a0);
                x0 = TL.Load(r1 + at); x1 = TL.Load(r1 + at + 1); x2 = TL.Load(r1 + at + 2);
                TV a1 = TL.Fma(x0, w0, vb); a0 = TL.Fma(x0, w3, a0);
                a1 = TL.Fma(x1, w1, a1); a0 = TL.Fma(x1, w4, a0);
                a1 = TL.Fma(x2, w2, a1); a0 = TL.Fma(x2, w5, a0);
                x0 = TL.Load(r2 + at); x1 = TL.Load(r2 + at + 1); x2 = TL.Load(r2 + at + 2);
                a1 = TL.Fma(x0, w3, a1); a0 = TL.Fma(x0, w6, a0);
                a1 = TL.Fma(x1, w4, a1); a0 = TL.Fma(x1, w7, a0);
                a1 = TL.Fma(x2, w5, a1); a0 = TL.Fma(x2, w8, a0);
                x0 = TL.Load(r3 + at); x1 = TL.Load(r3 + at + 1); x2 = TL.Load(r3 + at + 2);
                a1 = TL.Fma(x0, w6, a1); a1 = TL.Fma(x1, w7, a1); a1 = TL.Fma(x2, w8, a1);
                Finish<TL, TV, T>(a0, d0, e0, at, act);
                Finish<TL, TV, T>(a1, d1, e1, at, act);
                if (at + v >= n) break;
            }
        }
        if (oh < p.OH) Rows9<TL, TV, T>(p, oh);
    }

    /// <summary>Any 3×3 (strided, dilated): one output row at a time, nine tap runs, the weights in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows9<TL, TV, T>(in DwPlane<T> p, int firstRow = 0)
        where TL : IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = TL.Count, n = p.OW;
        T* w = p.W;
        TV w0 = TL.Splat(w[0]), w1 = TL.Splat(w[1]), w2 = TL.Splat(w[2]), w3 = TL.Splat(w[3]), w4 = TL.Splat(w[4]);
        TV w5 = TL.Splat(w[5]), w6 = TL.Splat(w[6]), w7 = TL.Splat(w[7]), w8 = TL.Splat(w[8]);
        TV vb = TL.Splat(p.Bias);
        long* o = p.TapOffset;
        var act = p.Act;
        for (int oh = firstRow; oh < p.OH; oh++)
        {
            T* rb = p.Buf + oh * p.InRowStep;
            T* t0 = rb + o[0], t1 = rb + o[1], t2 = rb + o[2], t3 = rb + o[3], t4 = rb + o[4], t5 = rb + o[5];
            T* t6 = rb + o[6], t7 = rb + o[7], t8 = rb + o[8];
            T* d = p.Y + oh * p.YStride, e = p.Residual == null ? null : p.Residual + oh * p.YStride;
            for (int i = 0; ; i += v)
            {
                int at = i + v > n ? n - v : i; // the last vector overlaps the previous one: same values
                TV a = TL.Fma(TL.Load(t0 + at), w0, vb), b = TL.Mul(TL.Load(t1 + at), w1);
                a = TL.Fma(TL.Load(t2 + at), w2, a); b = TL.Fma(TL.Load(t3 + at), w3, b);
                a = TL.Fma(TL.Load(t4 + at), w4, a); b = TL.Fma(TL.Load(t5 + at), w5, b);
                a = TL.Fma(TL.Load(t6 + at), w6, a); b = TL.Fma(TL.Load(t7 + at), w7, b);
                a = TL.Fma(TL.Load(t8 + at), w8, a);
                Finish<TL, TV, T>(TL.Add(a, b), d, e, at, act);
                if (at + v >= n) break;
            }
        }
    }

    /// <summary>Any kernel size: two output rows × two vectors per weight broadcast (one vector when the row is
    /// shorter than two), so each tap costs one broadcast per four loads and FMAs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsBlocked<TL, TV, T>(in DwPlane<T> p)
        where TL : IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = TL.Count, n = p.OW, taps = p.Taps, oh = 0;
        TV vb = TL.Splat(p.Bias);
        long* o = p.TapOffset;
        T* w = p.W;
        var act = p.Act;
        nint step = p.InRowStep;
        for (; oh + 1 < p.OH; oh += 2)
        {
            T* rb = p.Buf + oh * step;
            T* d0 = p.Y + oh * p.YStride, d1 = d0 + p.YStride;
            T* e0 = p.Residual == null ? null : p.Residual + oh * p.YStride, e1 = e0 == null ? null : e0 + p.YStride;
            if (n >= 2 * v)
            {
                for (int i = 0; ; i += 2 * v)
                {
                    int at = i + 2 * v > n ? n - 2 * v : i; // overlapping last block: same values
                    TV a00 = vb, a01 = vb, a10 = vb, a11 = vb;
                    for (int t = 0; t < taps; t++)
                    {
                        T* s0 = rb + o[t] + at, s1 = s0 + step;
                        TV wt = TL.Splat(w[t]);
                        a00 = TL.Fma(TL.Load(s0), wt, a00); a01 = TL.Fma(TL.Load(s0 + v), wt, a01);
                        a10 = TL.Fma(TL.Load(s1), wt, a10); a11 = TL.Fma(TL.Load(s1 + v), wt, a11);
                    }
                    Finish<TL, TV, T>(a00, d0, e0, at, act); Finish<TL, TV, T>(a01, d0, e0, at + v, act);
                    Finish<TL, TV, T>(a10, d1, e1, at, act); Finish<TL, TV, T>(a11, d1, e1, at + v, act);
                    if (at + 2 * v >= n) break;
                }
            }
            else
            {
                for (int i = 0; ; i += v)
                {
                    int at = i + v > n ? n - v : i;
                    TV a0 = vb, a1 = vb;
                    for (int t = 0; t < taps; t++)
                    {
                        T* s0 = rb + o[t] + at;
                        TV wt = TL.Splat(w[t]);
                        a0 = TL.Fma(TL.Load(s0), wt, a0); a1 = TL.Fma(TL.Load(s0 + step), wt, a1);
                    }
                    Finish<TL, TV, T>(a0, d0, e0, at, act); Finish<TL, TV, T>(a1, d1, e1, at, act);
                    if (at + v >= n) break;
                }
            }
        }
        if (oh < p.OH)
        {
            T* rb = p.Buf + oh * step;
            T* d = p.Y + oh * p.YStride, e = p.Residual == null ? null : p.Residual + oh * p.YStride;
            for (int i = 0; ; i += v)
            {
                int at = i + v > n ? n - v : i;
                TV a = vb;
                for (int t = 0; t < taps; t++) a = TL.Fma(TL.Load(rb + o[t] + at), TL.Splat(w[t]), a);
                Finish<TL, TV, T>(a, d, e, at, act);
                if (at + v >= n) break;
            }
        }
    }

    /// <summary>dst[at..at+V) = clamp(acc + residual[at..at+V)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TL, TV, T>(TV acc, T* dst, T* res, int at, in Epilogue<T> act)
        where TL : IDwLanes<TV, T> where TV : struct where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (res != null) acc = TL.Add(acc, TL.Load(res + at));
        if (act.Clamps) acc = TL.Clamp(acc, act.Lo, act.Hi);
        TL.Store(acc, dst + at);
    }

    /// <summary>The scalar path: the same sums, one output at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scalar<T>(in DwPlane<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int oh = 0; oh < p.OH; oh++)
        {
            T* rb = p.Buf + oh * p.InRowStep;
            for (int ow = 0; ow < p.OW; ow++)
            {
                T acc = p.Bias;
                for (int t = 0; t < p.Taps; t++) acc += rb[p.TapOffset[t] + ow] * p.W[t];
                long at = (long)oh * p.OW + ow;
                if (p.Residual != null) acc += p.Residual[at];
                p.Y[at] = p.Act.Apply(acc);
            }
        }
    }
}
