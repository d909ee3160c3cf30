using System.Buffers;
using System.Numerics;

namespace NativeCam.Kernels.Cpu.Pooling;

/// <summary>
/// Per-call tables of a 2-D pooling: the output size, the "interior" output columns whose every window tap lies
/// inside the input (handled by the SIMD row loops), and the row/column element counts of the average divisor.
/// </summary>
internal sealed class PoolGeometry<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly int OH, OW, OwA, OwB;
    /// <summary>Average divisor factors per output row / column (1 where a window holds no counted element).</summary>
    public readonly T[] CountH, CountW;

    public PoolGeometry(in Pool2dParams p)
    {
        OH = p.OH; OW = p.OW;
        // interior: ow·sw − pl ≥ 0 and ow·sw − pl + (KW−1)·dw ≤ W − 1
        OwA = Math.Min(OW, PoolMath.CeilDiv(p.PadLeft, p.StrideW));
        OwB = Math.Max(OwA, Math.Min(OW, PoolMath.FloorDiv(p.W - 1 + p.PadLeft - (p.KW - 1) * p.DilationW, p.StrideW) + 1));
        CountH = new T[OH];
        CountW = new T[OW];
        // count_include_pad counts taps inside the padded extent [−pad0, in + pad1), else inside the input [0, in)
        bool inc = p.CountIncludePad;
        for (int o = 0; o < OH; o++)
            CountH[o] = T.CreateChecked(Math.Max(1, PoolMath.Taps(o * p.StrideH - p.PadTop, p.KH, p.DilationH,
                inc ? -p.PadTop : 0, inc ? p.H + p.PadBottom : p.H)));
        for (int o = 0; o < OW; o++)
            CountW[o] = T.CreateChecked(Math.Max(1, PoolMath.Taps(o * p.StrideW - p.PadLeft, p.KW, p.DilationW,
                inc ? -p.PadLeft : 0, inc ? p.W + p.PadRight : p.W)));
    }
}

/// <summary>Integer helpers for window arithmetic.</summary>
internal static class PoolMath
{
    /// <summary>⌊a / b⌋ for b &gt; 0.</summary>
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>⌈a / b⌉ for b &gt; 0.</summary>
    public static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    /// <summary>a mod b in [0, b) for b &gt; 0.</summary>
    public static int Mod(int a, int b) => a - FloorDiv(a, b) * b;

    /// <summary>Number of taps start + t·d, t ∈ [0, k), inside [lo, hi).</summary>
    public static int Taps(int start, int k, int d, int lo, int hi)
    {
        int n = 0;
        for (int t = 0; t < k; t++) { int v = start + t * d; if (v >= lo && v < hi) n++; }
        return n;
    }

    /// <summary>The tap range [t0, t1) with start + t·d inside [0, size).</summary>
    public static (int T0, int T1) ValidTaps(int start, int k, int d, int size)
    {
        int t0 = start >= 0 ? 0 : CeilDiv(-start, d);
        int t1 = Math.Min(k, FloorDiv(size - 1 - start, d) + 1);
        return (t0, Math.Max(t0, t1));
    }

    /// <summary>Splits <paramref name="planes"/> × <paramref name="rows"/> into enough work items for the threads.</summary>
    public static int RowChunks(int planes, int rows, int threads) =>
        threads <= 1 || planes >= 2 * threads ? 1 : Math.Clamp((2 * threads + planes - 1) / planes, 1, Math.Max(1, rows));
}

/// <summary>Array access to CPU buffers (parallel bodies cannot capture spans).</summary>
internal static class KernelArrays
{
    /// <summary>The backing array of a CPU buffer of type T, validated by <see cref="CpuKernels.Host{T}"/>.</summary>
    public static T[] Of<T>(CpuKernels k, IBuffer b) where T : unmanaged
    {
        k.Host<T>(b);
        return ((CpuBuffer<T>)b).Array;
    }

    /// <summary>Rents scratch of at least n elements.</summary>
    public static T[] Rent<T>(int n) => ArrayPool<T>.Shared.Rent(Math.Max(1, n));

    /// <summary>Returns scratch.</summary>
    public static void Return<T>(T[]? a) { if (a is not null) ArrayPool<T>.Shared.Return(a); }
}
