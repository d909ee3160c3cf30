using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// The data side of Winograd F(2×2, 3×3), one channel plane at a time. Input: each 4×4 tile d (stride 2) of the
/// zero-padded plane becomes V = Bᵀ·d·B with Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].
/// Output: each 4×4 product tile m becomes the 2×2 outputs Aᵀ·m·A with Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]].
/// Both are additions only, done in the same order on the vector path (8 tiles of a tile row per AVX2 vector, float)
/// and the scalar path, so the two give the same bits.
/// </summary>
internal static unsafe class WinogradTiles
{
    /// <summary>Whether the 8-tile vector path runs for <typeparamref name="T"/>.</summary>
    public static bool Vectorised<T>(SimdLevel simd) => typeof(T) == typeof(float) && simd != SimdLevel.Scalar && Avx2.IsSupported;

    /// <summary>
    /// V[e·vStride + ty·tw + tx] for the th × tw tiles of a padded plane (row stride <paramref name="wp"/>, at least
    /// 2·th + 2 rows and 16·⌈tw/8⌉ + 2 columns, zero outside the image). The vector path writes up to 7 entries past
    /// each tile row's end (the next row overwrites them; leave 7 spare after the last).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Input<T>(SimdLevel simd, T* plane, int wp, int th, int tw, T* v, long vStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vectorised<T>(simd)) { InputVector((float*)plane, wp, th, tw, (float*)v, vStride); return; }
        Span<T> d = stackalloc T[16];
        for (int ty = 0; ty < th; ty++)
            for (int tx = 0; tx < tw; tx++)
            {
                T* p = plane + 2 * ty * wp + 2 * tx;
                for (int r = 0; r < 4; r++)
                {
                    // Bᵀ over the rows of d, one column at a time
                    T d0 = p[r], d1 = p[wp + r], d2 = p[2 * wp + r], d3 = p[3 * wp + r];
                    d[r] = d0 - d2; d[4 + r] = d1 + d2; d[8 + r] = d2 - d1; d[12 + r] = d1 - d3;
                }
                long t = ty * tw + tx;
                for (int i = 0; i < 4; i++)
                {
                    // then B over the columns of each row
                    T s0 = d[4 * i], s1 = d[4 * i + 1], s2 = d[4 * i + 2], s3 = d[4 * i + 3];
                    v[(4 * i + 0) * vStride + t] = s0 - s2;
                    v[(4 * i + 1) * vStride + t] = s1 + s2;
                    v[(4 * i + 2) * vStride + t] = s2 - s1;
                    v[(4 * i + 3) * vStride + t] = s1 - s3;
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputVector(float* plane, int wp, int th, int tw, float* v, long vStride)
    {
        for (int ty = 0; ty < th; ty++)
            for (int tx = 0; tx < tw; tx += 8)
            {
                float* p = plane + 2 * ty * wp + 2 * tx;
                // per row r of the tile: columns 0..3 of 8 consecutive tiles (even, odd, even + 2, odd + 2)
                Columns(p, out var a0, out var a1, out var a2, out var a3);
                Columns(p + wp, out var b0, out var b1, out var b2, out var b3);
                Columns(p + 2 * wp, out var c0, out var c1, out var c2, out var c3);
                Columns(p + 3 * wp, out var e0, out var e1, out var e2, out var e3);
                float* o = v + ty * tw + tx;
                Row(o, vStride, 0, a0 - c0, a1 - c1, a2 - c2, a3 - c3);
                Row(o, vStride, 1, b0 + c0, b1 + c1, b2 + c2, b3 + c3);
                Row(o, vStride, 2, c0 - b0, c1 - b1, c2 - b2, c3 - b3);
                Row(o, vStride, 3, b0 - e0, b1 - e1, b2 - e2, b3 - e3);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(float* o, long vStride, int i, Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3)
    {
        (s0 - s2).Store(o + (4 * i + 0) * vStride);
        (s1 + s2).Store(o + (4 * i + 1) * vStride);
        (s2 - s1).Store(o + (4 * i + 2) * vStride);
        (s1 - s3).Store(o + (4 * i + 3) * vStride);
    }

    /// <summary>Deinterleaves p[0..17]: x0 = p[2t], x1 = p[2t + 1], x2 = p[2t + 2], x3 = p[2t + 3] for t = 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns(float* p, out Vector256<float> x0, out Vector256<float> x1, out Vector256<float> x2, out Vector256<float> x3)
    {
        var split = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        Vector256<float> lo = Avx2.PermuteVar8x32(Avx.LoadVector256(p), split), hi = Avx2.PermuteVar8x32(Avx.LoadVector256(p + 8), split);
        x0 = Avx.Permute2x128(lo, hi, 0x20); x1 = Avx.Permute2x128(lo, hi, 0x31);
        lo = Avx2.PermuteVar8x32(Avx.LoadVector256(p + 2), split); hi = Avx2.PermuteVar8x32(Avx.LoadVector256(p + 10), split);
        x2 = Avx.Permute2x128(lo, hi, 0x20); x3 = Avx.Permute2x128(lo, hi, 0x31);
    }

    /// <summary>
    /// y[oy·ow + ox] = (Aᵀ·m·A)[oy − 2ty][ox − 2tx] + bias (+ residual[same index]) for the th × tw product tiles
    /// m[e·mStride + t] of one output channel; rows and columns past oh × ow are dropped. No activation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Output<T>(SimdLevel simd, T* m, long mStride, int th, int tw, T* y, int oh, int ow, T bias, T* residual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vectorised<T>(simd)) { OutputVector((float*)m, mStride, th, tw, (float*)y, oh, ow, float.CreateTruncating(bias), (float*)residual); return; }
        Span<T> r = stackalloc T[8];
        for (int ty = 0; ty < th; ty++)
            for (int tx = 0; tx < tw; tx++)
            {
                long t = ty * tw + tx;
                for (int j = 0; j < 4; j++)
                {
                    // Aᵀ over the rows of m, one column at a time
                    T m0 = m[j * mStride + t], m1 = m[(4 + j) * mStride + t], m2 = m[(8 + j) * mStride + t], m3 = m[(12 + j) * mStride + t];
                    r[j] = m0 + m1 + m2; r[4 + j] = m1 - m2 - m3;
                }
                for (int i = 0; i < 2; i++)
                {
                    int oy = 2 * ty + i;
                    if (oy >= oh) break;
                    T y0 = r[4 * i] + r[4 * i + 1] + r[4 * i + 2], y1 = r[4 * i + 1] - r[4 * i + 2] - r[4 * i + 3];
                    long at = (long)oy * ow + 2 * tx;
                    y[at] = residual == null ? y0 + bias : y0 + bias + residual[at];
                    if (2 * tx + 1 < ow) y[at + 1] = residual == null ? y1 + bias : y1 + bias + residual[at + 1];
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputVector(float* m, long mStride, int th, int tw, float* y, int oh, int ow, float bias, float* residual)
    {
        var b = Vector256.Create(bias);
        float* rows = stackalloc float[32];
        for (int ty = 0; ty < th; ty++)
            for (int tx = 0; tx < tw; tx += 8)
            {
                float* p = m + ty * tw + tx;
                // Aᵀ over the rows: r0 = m0 + m1 + m2, r1 = m1 − m2 − m3, per column j
                Vector256<float> r00 = default, r01 = default, r02 = default, r03 = default;
                Vector256<float> r10 = default, r11 = default, r12 = default, r13 = default;
                AtRows(p, mStride, 0, ref r00, ref r10);
                AtRows(p, mStride, 1, ref r01, ref r11);
                AtRows(p, mStride, 2, ref r02, ref r12);
                AtRows(p, mStride, 3, ref r03, ref r13);
                // A over the columns; outputs of the 8 tiles, interleaved into 16 consecutive pixels per row
                Interleave(r00 + r01 + r02, r01 - r02 - r03, rows);
                Interleave(r10 + r11 + r12, r11 - r12 - r13, rows + 16);
                int ox = 2 * tx, width = Math.Min(16, ow - ox);
                for (int i = 0; i < 2; i++)
                {
                    int oy = 2 * ty + i;
                    if (oy >= oh) break;
                    float* src = rows + 16 * i, dst = y + (long)oy * ow + ox;
                    float* res = residual == null ? null : residual + (long)oy * ow + ox;
                    if (width == 16)
                    {
                        var lo = Vector256.Load(src) + b;
                        var hi = Vector256.Load(src + 8) + b;
                        if (res != null) { lo += Vector256.Load(res); hi += Vector256.Load(res + 8); }
                        lo.Store(dst); hi.Store(dst + 8);
                    }
                    else
                        for (int j = 0; j < width; j++) dst[j] = res == null ? src[j] + bias : src[j] + bias + res[j];
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AtRows(float* p, long mStride, int j, ref Vector256<float> r0, ref Vector256<float> r1)
    {
        Vector256<float> m0 = Vector256.Load(p + j * mStride), m1 = Vector256.Load(p + (4 + j) * mStride);
        Vector256<float> m2 = Vector256.Load(p + (8 + j) * mStride), m3 = Vector256.Load(p + (12 + j) * mStride);
        r0 = m0 + m1 + m2;
        r1 = m1 - m2 - m3;
    }

    /// <summary>dst[2t] = a[t], dst[2t + 1] = b[t] for t = 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(Vector256<float> a, Vector256<float> b, float* dst)
    {
        Vector256<float> lo = Avx.UnpackLow(a, b), hi = Avx.UnpackHigh(a, b); // (a0 b0 a1 b1 | a4 b4 a5 b5), (a2 b2 a3 b3 | a6 b6 a7 b7)
        Avx.Permute2x128(lo, hi, 0x20).Store(dst);
        Avx.Permute2x128(lo, hi, 0x31).Store(dst + 8);
    }
}
