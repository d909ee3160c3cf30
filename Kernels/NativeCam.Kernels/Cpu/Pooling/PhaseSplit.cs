using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Pooling;

/// <summary>
/// Splits an input row into its sw column phases (phase r holds columns r, r + sw, …) so that a strided window's
/// taps become contiguous. Pure data movement: every path gives the same values. For float32 and sw = 2 (the common
/// 3×3 stride-2 pool) 16 columns are de-interleaved at a time with two in-lane permutes and two 128-bit half
/// moves instead of one element at a time.
/// </summary>
internal static class PhaseSplit
{
    /// <summary>dst[r·L + j] = src[j·sw + r] for every column of the row (L = ⌈W / sw⌉).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row<T>(SimdLevel s, ReadOnlySpan<T> src, int sw, int L, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = src.Length, j = 0;
        if (typeof(T) == typeof(float) && sw == 2 && s != SimdLevel.Scalar && Vector256.IsHardwareAccelerated)
        {
            ref float x = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(src));
            ref float even = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(dst));
            ref float odd = ref Unsafe.Add(ref even, L);
            var order = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
            for (; 2 * j + 16 <= w; j += 8)
            {
                // a = columns 2j..2j+7, b = 2j+8..2j+15; after the permute each holds its evens low, odds high
                var a = Vector256.Shuffle(Vector256.LoadUnsafe(ref x, (nuint)(2 * j)), order);
                var b = Vector256.Shuffle(Vector256.LoadUnsafe(ref x, (nuint)(2 * j + 8)), order);
                Vector256.Create(a.GetLower(), b.GetLower()).StoreUnsafe(ref even, (nuint)j);
                Vector256.Create(a.GetUpper(), b.GetUpper()).StoreUnsafe(ref odd, (nuint)j);
            }
        }
        for (int r = 0; r < sw; r++)
            for (int jj = j, col = j * sw + r; col < w; jj++, col += sw) dst[r * L + jj] = src[col];
    }
}
