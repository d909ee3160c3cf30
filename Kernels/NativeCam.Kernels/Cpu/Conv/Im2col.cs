using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>Explicit im2col / col2im of one image and group (the backward passes use a materialised column matrix).</summary>
internal static unsafe class Im2col
{
    /// <summary>cols[(c·KH + kh)·KW + kw, oh·OW + ow] = x[c, oh·SH + kh·DH − PT, ow·SW + kw·DW − PL] (0 in the padding),
    /// for channels [c0, c1) of the group image <paramref name="x"/> ([CPG, H, W]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Expand<T>(in ConvGeometry g, T* x, T* cols, int c0, int c1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int opix = g.OutPixels;
        for (int c = c0; c < c1; c++)
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++)
                {
                    T* d = cols + ((long)(c * g.KH + kh) * g.KW + kw) * opix;
                    T* plane = x + (long)c * g.H * g.W;
                    for (int oh = 0; oh < g.OH; oh++, d += g.OW)
                    {
                        int ih = oh * g.SH + kh * g.DH - g.PT;
                        if ((uint)ih >= (uint)g.H) { for (int ow = 0; ow < g.OW; ow++) d[ow] = T.Zero; continue; }
                        T* row = plane + (long)ih * g.W;
                        int iw = kw * g.DW - g.PL;
                        for (int ow = 0; ow < g.OW; ow++, iw += g.SW) d[ow] = (uint)iw < (uint)g.W ? row[iw] : T.Zero;
                    }
                }
    }

    /// <summary>The adjoint of <see cref="Expand"/>: dx[c, ih, iw] = Σ of the column entries that read it, for channels
    /// [c0, c1) (dx is written, not accumulated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Collapse<T>(in ConvGeometry g, T* cols, T* dx, int c0, int c1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int opix = g.OutPixels;
        for (int c = c0; c < c1; c++)
        {
            T* plane = dx + (long)c * g.H * g.W;
            new Span<T>(plane, g.H * g.W).Clear();
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++)
                {
                    T* s = cols + ((long)(c * g.KH + kh) * g.KW + kw) * opix;
                    for (int oh = 0; oh < g.OH; oh++, s += g.OW)
                    {
                        int ih = oh * g.SH + kh * g.DH - g.PT;
                        if ((uint)ih >= (uint)g.H) continue;
                        T* row = plane + (long)ih * g.W;
                        int iw = kw * g.DW - g.PL;
                        for (int ow = 0; ow < g.OW; ow++, iw += g.SW)
                            if ((uint)iw < (uint)g.W) row[iw] += s[ow];
                    }
                }
        }
    }
}
