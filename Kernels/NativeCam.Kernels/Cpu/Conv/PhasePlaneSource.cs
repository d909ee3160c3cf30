using System.Numerics;
using System.Runtime.CompilerServices;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Forward convolution as a GEMM whose B panels are packed straight from the images' <see cref="PhasePlane"/>s
/// (zero-padded, phase-split copies): im2col row (channel, kh, kw) at output row oh is the contiguous run of its
/// plane at padded row oh·SH + kh·DH, phase (kw·DW) mod SW, from index ⌊kw·DW / SW⌋ + ow, so every panel row is
/// vector copies without bounds checks or stride-2 gathers, and the im2col matrix is never materialised (for a
/// 7×7 stem it would be 147 rows × 12544 columns, written and read again through L3). Same A, same B values in the
/// same order as the other im2col paths: the results are bitwise the same. Batch item b = image b (ungrouped).
/// </summary>
internal readonly unsafe struct PhasePlaneSource<T> : IGemmSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly PhasePlane _plane;
    private readonly T* _planes, _w, _y, _bias;

    /// <summary>Images' planes at <paramref name="planes"/> (image n, channel c at (n·C + c)·plane.Length).</summary>
    public PhasePlaneSource(in ConvGeometry g, in PhasePlane plane, T* planes, T* w, T* bias, T* y)
    {
        _g = g; _plane = plane; _planes = planes; _w = w; _bias = bias; _y = y;
    }

    public void Locate(int batch, out T* a, out T* c, out T* bias)
    {
        a = _w;
        c = _y + (long)batch * _g.K * _g.OutPixels;
        bias = _bias;
    }

    public int PackPanels => GemmDriver.MaxPackPanels;

    public bool InPlaceB(int batch, int k0, out T* b, out nint ldb)
    {
        b = null;
        ldb = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackB(int batch, int k0, int kc, int j0, int width, T* dstBase, int nr)
    {
        ref readonly ConvGeometry g = ref _g;
        int kk = g.KH * g.KW;
        int ch = k0 / kk, kh = k0 % kk / g.KW, kw = k0 % g.KW;
        int panels = (width + nr - 1) / nr;
        nint panelSize = (nint)kc * nr, rowStep = (nint)g.SH * _plane.RowStride;
        T* image = _planes + (long)batch * g.C * _plane.Length;
        int* oh0 = stackalloc int[GemmDriver.MaxPackPanels];
        int* ow0 = stackalloc int[GemmDriver.MaxPackPanels];
        for (int p = 0; p < panels; p++) { oh0[p] = (j0 + p * nr) / g.OW; ow0[p] = (j0 + p * nr) % g.OW; }
        for (int r = 0; r < kc; r++)
        {
            T* tap = image + (long)ch * _plane.Length + _plane.Offset(kh * g.DH, kw * g.DW); // output (0, 0)
            for (int p = 0; p < panels; p++)
            {
                T* dst = dstBase + p * panelSize + r * nr;
                int pw = Math.Min(nr, width - p * nr);
                int j = 0, oh = oh0[p], ow = ow0[p];
                while (j < pw)
                {
                    int len = Math.Min(pw - j, g.OW - ow);
                    Copy(tap + oh * rowStep + ow, dst + j, len);
                    j += len; oh++; ow = 0;
                }
                for (; j < nr; j++) dst[j] = T.Zero;
            }
            if (++kw == g.KW) { kw = 0; if (++kh == g.KH) { kh = 0; ch++; } }
        }
    }

    /// <summary>d[0..n) = s[0..n): whole vectors while they fit, then elements (a panel's runs are short).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(T* s, T* d, int n)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            for (int v = System.Runtime.Intrinsics.Vector256<T>.Count; i + v <= n; i += v)
                System.Runtime.Intrinsics.Vector256.Store(System.Runtime.Intrinsics.Vector256.Load(s + i), d + i);
        for (; i < n; i++) d[i] = s[i];
    }
}
