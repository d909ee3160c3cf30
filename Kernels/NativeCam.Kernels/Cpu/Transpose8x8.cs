using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu;

/// <summary>The 8×8 float transpose in eight AVX registers (unpack, shuffle, then swap the 128-bit halves), used where
/// data laid out one way must be read eight lanes the other way: channels into lanes (depthwise), A's rows into per-k
/// columns (a GEMM column tail reading A in place).</summary>
internal static class Transpose8x8
{
    /// <summary>The 8×8 transpose: r_i ← column i of the rows r_0 … r_7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(u0, u4, 0x20); r1 = Avx.Permute2x128(u1, u5, 0x20); r2 = Avx.Permute2x128(u2, u6, 0x20); r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31); r5 = Avx.Permute2x128(u1, u5, 0x31); r6 = Avx.Permute2x128(u2, u6, 0x31); r7 = Avx.Permute2x128(u3, u7, 0x31);
    }
}
