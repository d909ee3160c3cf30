using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// A zero-padded copy of one image plane, each padded row split into SW phases (phase q holds padded columns
/// q, q + SW, q + 2·SW, …). Output column ow of tap kw then reads phase (kw·DW) mod SW at index ow + ⌊kw·DW / SW⌋:
/// a contiguous run for any stride, so depthwise rows vectorise without gathers or bounds checks.
/// Each phase has <see cref="Slack"/> trailing zeros so full-vector loads past the row end stay inside it.
/// </summary>
internal readonly unsafe struct PhasePlane
{
    /// <summary>Trailing zeros per phase (one Vector512 of floats).</summary>
    public const int Slack = 16;

    private readonly int _h, _w, _pt, _pl, _sw;
    /// <summary>Padded rows.</summary>
    public readonly int Rows;
    /// <summary>Elements per phase.</summary>
    public readonly int PhaseLength;
    /// <summary>Elements per padded row (all phases).</summary>
    public readonly int RowStride;

    public PhasePlane(in ConvGeometry g)
    {
        _h = g.H; _w = g.W; _pt = g.PT; _pl = g.PL; _sw = g.SW;
        Rows = g.H + g.PT + g.PB;
        PhaseLength = (g.W + g.PL + g.PR + g.SW - 1) / g.SW + Slack;
        RowStride = g.SW * PhaseLength;
    }

    /// <summary>Elements of the buffer.</summary>
    public long Length => (long)Rows * RowStride;

    /// <summary>Offset of padded position (row, col).</summary>
    public long Offset(int row, int col) => (long)row * RowStride + col % _sw * PhaseLength + col / _sw;

    /// <summary>Zeroes the whole buffer (padding, slack, gaps between phases). <see cref="CopyInterior"/> writes the
    /// same interior positions for every plane, so one clear serves every plane a thread fills afterwards.</summary>
    public void Clear<T>(T* buf) where T : unmanaged, IFloatingPointIeee754<T> => new Span<T>(buf, checked((int)Length)).Clear();

    /// <summary>buf = the padded, phase-split copy of <paramref name="x"/> ([H, W]) on a buffer whose padding is zero
    /// (see <see cref="Clear"/>): only the interior is written, with inline vector copies (no call per row, which
    /// dominated small planes such as 7×7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyInterior<T>(T* x, T* buf) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ih = 0; ih < _h; ih++)
        {
            T* src = x + (long)ih * _w;
            T* row = buf + (long)(ih + _pt) * RowStride;
            if (_sw == 1) { CopyRun(src, row + _pl, _w); continue; }
            if (_sw == 2 && Avx2.IsSupported) { Split2(src, row); continue; }
            // phase q holds padded columns j·SW + q, i.e. input columns j·SW + q − PL (no division per element)
            for (int q = 0; q < _sw; q++)
            {
                T* dst = row + q * PhaseLength;
                int j = q >= _pl ? 0 : (_pl - q + _sw - 1) / _sw;
                for (int iw = j * _sw + q - _pl; iw < _w; j++, iw += _sw) dst[j] = src[iw];
            }
        }
    }

    /// <summary>d[0..n) = s[0..n): full vectors, the last one ending at n (overlapping the previous one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CopyRun<T>(T* s, T* d, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count, h = Vector128<T>.Count;
        if (Vector128.IsHardwareAccelerated && n >= h && n < v)
        {
            // shorter than a 256-bit vector (7-wide rows): two 128-bit copies, the second ending at n
            Vector128.Load(s).Store(d);
            Vector128.Load(s + n - h).Store(d + n - h);
            return;
        }
        if (!Vector256.IsHardwareAccelerated || n < v)
        {
            for (int i = 0; i < n; i++) d[i] = s[i];
            return;
        }
        for (int i = 0; i + v < n; i += v) Vector256.Load(s + i).Store(d + i);
        Vector256.Load(s + n - v).Store(d + n - v);
    }

    /// <summary>Stride 2: input column iw goes to phase (iw + PL) mod 2 at index (iw + PL) / 2; even and odd columns
    /// are split two vectors at a time with shuffles, the rest in pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Split2<T>(T* src, T* row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // even input columns land in phase PL mod 2 from index PL / 2 on (iw = 2m: (2m + PL) / 2 = m + PL / 2),
        // odd ones in the other phase from index (PL + 1) / 2 (iw = 2m + 1: m + (PL + 1) / 2)
        T* even = row + (_pl & 1) * PhaseLength + _pl / 2;
        T* odd = row + ((_pl + 1) & 1) * PhaseLength + (_pl + 1) / 2;
        int v = Vector256<T>.Count, iw = 0;
        for (; iw + 2 * v <= _w; iw += 2 * v)
        {
            Vector256<T> a = Vector256.Load(src + iw), b = Vector256.Load(src + iw + v), e, o;
            if (typeof(T) == typeof(float))
            {
                // shuffle within 128-bit lanes, then put the lanes in order
                var fa = a.AsSingle(); var fb = b.AsSingle();
                e = Avx2.Permute4x64(Avx.Shuffle(fa, fb, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).As<double, T>();
                o = Avx2.Permute4x64(Avx.Shuffle(fa, fb, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).As<double, T>();
            }
            else
            {
                var da = a.AsDouble(); var db = b.AsDouble();
                e = Avx2.Permute4x64(Avx.UnpackLow(da, db), 0b11_01_10_00).As<double, T>();
                o = Avx2.Permute4x64(Avx.UnpackHigh(da, db), 0b11_01_10_00).As<double, T>();
            }
            e.Store(even + iw / 2);
            o.Store(odd + iw / 2);
        }
        if (iw + v <= _w)
        {
            // one vector left: split its two 128-bit halves
            Vector256<T> a = Vector256.Load(src + iw);
            Vector128<T> lo = a.GetLower(), hi = a.GetUpper(), e, o;
            if (typeof(T) == typeof(float))
            {
                e = Sse.Shuffle(lo.AsSingle(), hi.AsSingle(), 0b10_00_10_00).As<float, T>();
                o = Sse.Shuffle(lo.AsSingle(), hi.AsSingle(), 0b11_01_11_01).As<float, T>();
            }
            else
            {
                e = Sse2.UnpackLow(lo.AsDouble(), hi.AsDouble()).As<double, T>();
                o = Sse2.UnpackHigh(lo.AsDouble(), hi.AsDouble()).As<double, T>();
            }
            e.Store(even + iw / 2);
            o.Store(odd + iw / 2);
            iw += v;
        }
        for (; iw + 1 < _w; iw += 2) { even[iw / 2] = src[iw]; odd[iw / 2] = src[iw + 1]; } // iw is even here
        if (iw < _w) even[iw / 2] = src[iw];
    }

    /// <summary>dx = the unpadded interior of <paramref name="buf"/> (the inverse of <see cref="CopyInterior"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Extract<T>(T* buf, T* dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ih = 0; ih < _h; ih++)
        {
            T* dst = dx + (long)ih * _w;
            if (_sw == 1) { new Span<T>(buf + Offset(ih + _pt, _pl), _w).CopyTo(new Span<T>(dst, _w)); continue; }
            T* row = buf + (long)(ih + _pt) * RowStride;
            for (int q = 0; q < _sw; q++)
            {
                T* src = row + q * PhaseLength;
                int j = q >= _pl ? 0 : (_pl - q + _sw - 1) / _sw;
                for (int iw = j * _sw + q - _pl; iw < _w; j++, iw += _sw) dst[iw] = src[j];
            }
        }
    }
}
