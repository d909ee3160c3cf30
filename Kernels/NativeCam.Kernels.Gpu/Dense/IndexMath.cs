using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>Integer helpers for window arithmetic inside kernels.</summary>
internal static class IndexMath
{
    /// <summary>⌊a / b⌋ for b &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>First tap t ≥ 0 with start + t·d ≥ lo.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstTap(int start, int d, int lo) => start >= lo ? 0 : (lo - start + d - 1) / d;

    /// <summary>One past the last tap t &lt; k with start + t·d &lt; hi (may be below <see cref="FirstTap"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int EndTap(int start, int k, int d, int hi)
    {
        int e = FloorDiv(hi - 1 - start, d) + 1;
        return e < k ? e : k;
    }

    /// <summary>Number of taps start + t·d, t ∈ [0, k), inside [lo, hi), at least 1 (an average's divisor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Divisor(int start, int k, int d, int lo, int hi)
    {
        int n = EndTap(start, k, d, hi) - FirstTap(start, d, lo);
        return n > 1 ? n : 1;
    }
}
