using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution as an implicit GEMM: batch item b = (image n, group g); A = w[g] as [KPG, CPG·KH·KW],
/// B = im2col(x[n, g]) as [CPG·KH·KW, OH·OW] (never materialised: <see cref="PackB"/> gathers panels straight from
/// the image), C = y[n, g] as [KPG, OH·OW] with the bias per row.
/// </summary>
internal readonly unsafe struct Im2colSource<T> : IGemmSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly T* _x, _w, _y, _bias;

    public Im2colSource(in ConvGeometry g, T* x, T* w, T* bias, T* y) { _g = g; _x = x; _w = w; _bias = bias; _y = y; }

    public void Locate(int batch, out T* a, out T* c, out T* bias)
    {
        int n = batch / _g.G, grp = batch % _g.G;
        a = _w + (long)grp * _g.KPG * _g.ColRows;
        c = _y + ((long)n * _g.K + (long)grp * _g.KPG) * _g.OutPixels;
        bias = _bias == null ? null : _bias + grp * _g.KPG;
    }

    public int PackPanels => GemmDriver.MaxPackPanels;

    public bool InPlaceB(int batch, int k0, out T* b, out nint ldb)
    {
        ref readonly ConvGeometry g = ref _g;
        int n = batch / g.G, grp = batch % g.G;
        ldb = (nint)g.H * g.W;
        // a pointwise convolution's B is the image itself: [CPG, H·W]
        b = g.IsPointwise ? _x + ((long)n * g.C + (long)grp * g.CPG + k0) * g.H * g.W : null;
        return g.IsPointwise;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackB(int batch, int k0, int kc, int j0, int width, T* dstBase, int nr)
    {
        ref readonly ConvGeometry g = ref _g;
        int n = batch / g.G, grp = batch % g.G;
        T* xg = _x + ((long)n * g.C + (long)grp * g.CPG) * g.H * g.W;
        if (g.IsPointwise)
        {
            Packing.PackB(xg, (nint)g.H * g.W, false, k0, kc, j0, width, dstBase, nr);
            return;
        }
        // row r of im2col is (channel, kh, kw); column j is (oh, ow)
        int kk = g.KH * g.KW;
        int ch = k0 / kk, kh = k0 % kk / g.KW, kw = k0 % g.KW;
        int panels = (width + nr - 1) / nr;
        nint panelSize = (nint)kc * nr;
        int* oh0 = stackalloc int[GemmDriver.MaxPackPanels];
        int* ow0 = stackalloc int[GemmDriver.MaxPackPanels];
        for (int p = 0; p < panels; p++) { oh0[p] = (j0 + p * nr) / g.OW; ow0[p] = (j0 + p * nr) % g.OW; }
        for (int r = 0; r < kc; r++)
        {
            T* plane = xg + (long)ch * g.H * g.W;
            int hoff = kh * g.DH - g.PT, woff = kw * g.DW - g.PL;
            for (int p = 0; p < panels; p++)
            {
                T* dst = dstBase + p * panelSize + r * nr;
                int pw = Math.Min(nr, width - p * nr);
                int j = 0, oh = oh0[p], ow = ow0[p];
                while (j < pw)
                {
                    int len = Math.Min(pw - j, g.OW - ow);
                    int ih = oh * g.SH + hoff;
                    T* d = dst + j;
                    if ((uint)ih >= (uint)g.H)
                        for (int t = 0; t < len; t++) d[t] = T.Zero;
                    else
                    {
                        T* row = plane + (long)ih * g.W;
                        int iw = ow * g.SW + woff;
                        if (g.SW == 1 && iw >= 0 && iw + len <= g.W)
                            CopyShort(d, row + iw, len);
                        else if (g.SW == 2 && iw >= 0 && iw + 2 * (len - 1) < g.W)
                            CopyEven(d, row + iw, len, _x + g.XLength);
                        else
                            for (int t = 0; t < len; t++, iw += g.SW) d[t] = (uint)iw < (uint)g.W ? row[iw] : T.Zero;
                    }
                    j += len; oh++; ow = 0;
                }
                for (; j < nr; j++) dst[j] = T.Zero;
            }
            if (++kw == g.KW) { kw = 0; if (++kh == g.KH) { kh = 0; ch++; } }
        }
    }
    /// <summary>dst[t] = src[2t] for t &lt; n (a stride-2 convolution's taps inside the input row): float32 takes 8
    /// at a time from two loads, each permuted to its even then odd elements, joined by their low halves. A load
    /// may read past the row into the next one (never past <paramref name="end"/>, the end of x); those lanes are
    /// not kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyEven(T* dst, T* src, int n, T* end)
    {
        int t = 0;
        if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
        {
            var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            for (; t + 8 <= n && src + 2 * t + 16 <= end; t += 8)
            {
                var a = Vector256.Shuffle(Vector256.Load((float*)(src + 2 * t)), order);
                var b = Vector256.Shuffle(Vector256.Load((float*)(src + 2 * t + 8)), order);
                Vector256.Create(a.GetLower(), b.GetLower()).Store((float*)(dst + t));
            }
        }
        for (; t < n; t++) dst[t] = src[2 * t];
    }

    /// <summary>dst[0..n) = src[0..n) for the short runs of a panel row (a call to memmove would cost more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(T* dst, T* src, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count) Vector256.Load(src + i).Store(dst + i);
        for (; i < n; i++) dst[i] = src[i];
    }
}
