using System.Numerics;
using System.Runtime.CompilerServices;

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

    /// <summary>buf = the padded, phase-split copy of <paramref name="x"/> ([H, W]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill<T>(T* x, T* buf) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // only the padding is cleared: top and bottom rows whole, then each interior row around its copy
        new Span<T>(buf, _pt * RowStride).Clear();
        new Span<T>(buf + (long)(_pt + _h) * RowStride, (Rows - _pt - _h) * RowStride).Clear();
        for (int ih = 0; ih < _h; ih++)
        {
            T* src = x + (long)ih * _w;
            T* row = buf + (long)(ih + _pt) * RowStride;
            if (_sw == 1)
            {
                new Span<T>(row, _pl).Clear();
                new Span<T>(src, _w).CopyTo(new Span<T>(row + _pl, _w));
                new Span<T>(row + _pl + _w, RowStride - _pl - _w).Clear();
                continue;
            }
            new Span<T>(row, RowStride).Clear();
            // phase q holds padded columns j·SW + q, i.e. input columns j·SW + q − PL (no division per element)
            for (int q = 0; q < _sw; q++)
            {
                T* dst = row + q * PhaseLength;
                int j = q >= _pl ? 0 : (_pl - q + _sw - 1) / _sw;
                for (int iw = j * _sw + q - _pl; iw < _w; j++, iw += _sw) dst[j] = src[iw];
            }
        }
    }

    /// <summary>dx = the unpadded interior of <paramref name="buf"/> (the inverse of <see cref="Fill"/>).</summary>
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
