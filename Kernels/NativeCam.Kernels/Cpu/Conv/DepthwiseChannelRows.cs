using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// Eight consecutive output pixels of an undilated 3×3 or 5×5 filter at stride 1 or 2 on the channel-lane buffer of
/// <see cref="DepthwiseChannels"/> ([padded pixel][8 channels]). Along a filter row, pixel j reads input columns
/// s·j … s·j + KW − 1, so the eight pixels share 7s + KW input vectors: each is loaded once and feeds every
/// accumulator that reads it — per filter row 10 loads for 24 FMAs (3×3, stride 1), 12 for 40 (5×5), 17 for 24 and
/// 19 for 40 at stride 2 — where the generic row (<c>Row8</c>) loads one vector per FMA. Every pixel still adds its
/// taps in the generic order (filter rows, then columns, each an FMA into its own accumulator), so the sums are bit
/// for bit the generic row's.
/// </summary>
internal static unsafe class DepthwiseChannelRows
{
    private const int V = 8;

    /// <summary>The kernel number for stride <paramref name="s"/> and a <paramref name="k"/>×<paramref name="k"/>
    /// filter (for <see cref="Row8"/>), or 0: stride 1 or 2, 3×3 or 5×5 only.</summary>
    public static int For(int s, int k) => (s, k) switch { (1, 3) => 1, (1, 5) => 2, (2, 3) => 3, (2, 5) => 4, _ => 0 };

    /// <summary>Eight pixels through kernel <paramref name="kernel"/> of <see cref="For"/> (a switch the caller's loop
    /// can inline).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row8(int kernel, float* c, nint rowStride, float* wv, Vector256<float> b, float* o)
    {
        switch (kernel)
        {
            case 1: Row8S1K3(c, rowStride, wv, b, o); break;
            case 2: Row8S1K5(c, rowStride, wv, b, o); break;
            case 3: Row8S2K3(c, rowStride, wv, b, o); break;
            default: Row8S2K5(c, rowStride, wv, b, o); break;
        }
    }

    /// <summary>3×3, stride 1: out[j] = b + Σ_{kh,kw} w[kh·3 + kw]·in[c + kh·rowStride + (j + kw)·8], j &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row8S1K3(float* c, nint rowStride, float* wv, Vector256<float> b, float* o)
    {
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int kh = 0; kh < 3; kh++, c += rowStride, wv += 3 * V)
        {
            Vector256<float> w0 = Avx.LoadVector256(wv), w1 = Avx.LoadVector256(wv + V), w2 = Avx.LoadVector256(wv + 2 * V);
            var x = Avx.LoadVector256(c);
            a0 = Fma.MultiplyAdd(x, w0, a0);
            x = Avx.LoadVector256(c + V);
            a1 = Fma.MultiplyAdd(x, w0, a1); a0 = Fma.MultiplyAdd(x, w1, a0);
            x = Avx.LoadVector256(c + 2 * V);
            a2 = Fma.MultiplyAdd(x, w0, a2); a1 = Fma.MultiplyAdd(x, w1, a1); a0 = Fma.MultiplyAdd(x, w2, a0);
            x = Avx.LoadVector256(c + 3 * V);
            a3 = Fma.MultiplyAdd(x, w0, a3); a2 = Fma.MultiplyAdd(x, w1, a2); a1 = Fma.MultiplyAdd(x, w2, a1);
            x = Avx.LoadVector256(c + 4 * V);
            a4 = Fma.MultiplyAdd(x, w0, a4); a3 = Fma.MultiplyAdd(x, w1, a3); a2 = Fma.MultiplyAdd(x, w2, a2);
            x = Avx.LoadVector256(c + 5 * V);
            a5 = Fma.MultiplyAdd(x, w0, a5); a4 = Fma.MultiplyAdd(x, w1, a4); a3 = Fma.MultiplyAdd(x, w2, a3);
            x = Avx.LoadVector256(c + 6 * V);
            a6 = Fma.MultiplyAdd(x, w0, a6); a5 = Fma.MultiplyAdd(x, w1, a5); a4 = Fma.MultiplyAdd(x, w2, a4);
            x = Avx.LoadVector256(c + 7 * V);
            a7 = Fma.MultiplyAdd(x, w0, a7); a6 = Fma.MultiplyAdd(x, w1, a6); a5 = Fma.MultiplyAdd(x, w2, a5);
            x = Avx.LoadVector256(c + 8 * V);
            a7 = Fma.MultiplyAdd(x, w1, a7); a6 = Fma.MultiplyAdd(x, w2, a6);
            x = Avx.LoadVector256(c + 9 * V);
            a7 = Fma.MultiplyAdd(x, w2, a7);
        }
        Store(o, a0, a1, a2, a3, a4, a5, a6, a7);
    }

    /// <summary>5×5, stride 1: out[j] = b + Σ_{kh,kw} w[kh·5 + kw]·in[c + kh·rowStride + (j + kw)·8], j &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row8S1K5(float* c, nint rowStride, float* wv, Vector256<float> b, float* o)
    {
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int kh = 0; kh < 5; kh++, c += rowStride, wv += 5 * V)
        {
            Vector256<float> w0 = Avx.LoadVector256(wv), w1 = Avx.LoadVector256(wv + V), w2 = Avx.LoadVector256(wv + 2 * V), w3 = Avx.LoadVector256(wv + 3 * V), w4 = Avx.LoadVector256(wv + 4 * V);
            var x = Avx.LoadVector256(c);
            a0 = Fma.MultiplyAdd(x, w0, a0);
            x = Avx.LoadVector256(c + V);
            a1 = Fma.MultiplyAdd(x, w0, a1); a0 = Fma.MultiplyAdd(x, w1, a0);
            x = Avx.LoadVector256(c + 2 * V);
            a2 = Fma.MultiplyAdd(x, w0, a2); a1 = Fma.MultiplyAdd(x, w1, a1); a0 = Fma.MultiplyAdd(x, w2, a0);
            x = Avx.LoadVector256(c + 3 * V);
            a3 = Fma.MultiplyAdd(x, w0, a3); a2 = Fma.MultiplyAdd(x, w1, a2); a1 = Fma.MultiplyAdd(x, w2, a1); a0 = Fma.MultiplyAdd(x, w3, a0);
            x = Avx.LoadVector256(c + 4 * V);
            a4 = Fma.MultiplyAdd(x, w0, a4); a3 = Fma.MultiplyAdd(x, w1, a3); a2 = Fma.MultiplyAdd(x, w2, a2); a1 = Fma.MultiplyAdd(x, w3, a1);
            a0 = Fma.MultiplyAdd(x, w4, a0);
            x = Avx.LoadVector256(c + 5 * V);
            a5 = Fma.MultiplyAdd(x, w0, a5); a4 = Fma.MultiplyAdd(x, w1, a4); a3 = Fma.MultiplyAdd(x, w2, a3); a2 = Fma.MultiplyAdd(x, w3, a2);
            a1 = Fma.MultiplyAdd(x, w4, a1);
            x = Avx.LoadVector256(c + 6 * V);
            a6 = Fma.MultiplyAdd(x, w0, a6); a5 = Fma.MultiplyAdd(x, w1, a5); a4 = Fma.MultiplyAdd(x, w2, a4); a3 = Fma.MultiplyAdd(x, w3, a3);
            a2 = Fma.MultiplyAdd(x, w4, a2);
            x = Avx.LoadVector256(c + 7 * V);
            a7 = Fma.MultiplyAdd(x, w0, a7); a6 = Fma.MultiplyAdd(x, w1, a6); a5 = Fma.MultiplyAdd(x, w2, a5); a4 = Fma.MultiplyAdd(x, w3, a4);
            a3 = Fma.MultiplyAdd(x, w4, a3);
            x = Avx.LoadVector256(c + 8 * V);
            a7 = Fma.MultiplyAdd(x, w1, a7); a6 = Fma.MultiplyAdd(x, w2, a6); a5 = Fma.MultiplyAdd(x, w3, a5); a4 = Fma.MultiplyAdd(x, w4, a4);
            x = Avx.LoadVector256(c + 9 * V);
            a7 = Fma.MultiplyAdd(x, w2, a7); a6 = Fma.MultiplyAdd(x, w3, a6); a5 = Fma.MultiplyAdd(x, w4, a5);
            x = Avx.LoadVector256(c + 10 * V);
            a7 = Fma.MultiplyAdd(x, w3, a7); a6 = Fma.MultiplyAdd(x, w4, a6);
            x = Avx.LoadVector256(c + 11 * V);
            a7 = Fma.MultiplyAdd(x, w4, a7);
        }
        Store(o, a0, a1, a2, a3, a4, a5, a6, a7);
    }

    /// <summary>3×3, stride 2: out[j] = b + Σ_{kh,kw} w[kh·3 + kw]·in[c + kh·rowStride + (2j + kw)·8], j &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row8S2K3(float* c, nint rowStride, float* wv, Vector256<float> b, float* o)
    {
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int kh = 0; kh < 3; kh++, c += rowStride, wv += 3 * V)
        {
            Vector256<float> w0 = Avx.LoadVector256(wv), w1 = Avx.LoadVector256(wv + V), w2 = Avx.LoadVector256(wv + 2 * V);
            var x = Avx.LoadVector256(c);
            a0 = Fma.MultiplyAdd(x, w0, a0);
            x = Avx.LoadVector256(c + V);
            a0 = Fma.MultiplyAdd(x, w1, a0);
            x = Avx.LoadVector256(c + 2 * V);
            a1 = Fma.MultiplyAdd(x, w0, a1); a0 = Fma.MultiplyAdd(x, w2, a0);
            x = Avx.LoadVector256(c + 3 * V);
            a1 = Fma.MultiplyAdd(x, w1, a1);
            x = Avx.LoadVector256(c + 4 * V);
            a2 = Fma.MultiplyAdd(x, w0, a2); a1 = Fma.MultiplyAdd(x, w2, a1);
            x = Avx.LoadVector256(c + 5 * V);
            a2 = Fma.MultiplyAdd(x, w1, a2);
            x = Avx.LoadVector256(c + 6 * V);
            a3 = Fma.MultiplyAdd(x, w0, a3); a2 = Fma.MultiplyAdd(x, w2, a2);
            x = Avx.LoadVector256(c + 7 * V);
            a3 = Fma.MultiplyAdd(x, w1, a3);
            x = Avx.LoadVector256(c + 8 * V);
            a4 = Fma.MultiplyAdd(x, w0, a4); a3 = Fma.MultiplyAdd(x, w2, a3);
            x = Avx.LoadVector256(c + 9 * V);
            a4 = Fma.MultiplyAdd(x, w1, a4);
            x = Avx.LoadVector256(c + 10 * V);
            a5 = Fma.MultiplyAdd(x, w0, a5); a4 = Fma.MultiplyAdd(x, w2, a4);
            x = Avx.LoadVector256(c + 11 * V);
            a5 = Fma.MultiplyAdd(x, w1, a5);
            x = Avx.LoadVector256(c + 12 * V);
            a6 = Fma.MultiplyAdd(x, w0, a6); a5 = Fma.MultiplyAdd(x, w2, a5);
            x = Avx.LoadVector256(c + 13 * V);
            a6 = Fma.MultiplyAdd(x, w1, a6);
            x = Avx.LoadVector256(c + 14 * V);
            a7 = Fma.MultiplyAdd(x, w0, a7); a6 = Fma.MultiplyAdd(x, w2, a6);
            x = Avx.LoadVector256(c + 15 * V);
            a7 = Fma.MultiplyAdd(x, w1, a7);
            x = Avx.LoadVector256(c + 16 * V);
            a7 = Fma.MultiplyAdd(x, w2, a7);
        }
        Store(o, a0, a1, a2, a3, a4, a5, a6, a7);
    }

    /// <summary>5×5, stride 2: out[j] = b + Σ_{kh,kw} w[kh·5 + kw]·in[c + kh·rowStride + (2j + kw)·8], j &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row8S2K5(float* c, nint rowStride, float* wv, Vector256<float> b, float* o)
    {
        Vector256<float> a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
        for (int kh = 0; kh < 5; kh++, c += rowStride, wv += 5 * V)
        {
            Vector256<float> w0 = Avx.LoadVector256(wv), w1 = Avx.LoadVector256(wv + V), w2 = Avx.LoadVector256(wv + 2 * V), w3 = Avx.LoadVector256(wv + 3 * V), w4 = Avx.LoadVector256(wv + 4 * V);
            var x = Avx.LoadVector256(c);
            a0 = Fma.MultiplyAdd(x, w0, a0);
            x = Avx.LoadVector256(c + V);
            a0 = Fma.MultiplyAdd(x, w1, a0);
            x = Avx.LoadVector256(c + 2 * V);
            a1 = Fma.MultiplyAdd(x, w0, a1); a0 = Fma.MultiplyAdd(x, w2, a0);
            x = Avx.LoadVector256(c + 3 * V);
            a1 = Fma.MultiplyAdd(x, w1, a1); a0 = Fma.MultiplyAdd(x, w3, a0);
            x = Avx.LoadVector256(c + 4 * V);
            a2 = Fma.MultiplyAdd(x, w0, a2); a1 = Fma.MultiplyAdd(x, w2, a1); a0 = Fma.MultiplyAdd(x, w4, a0);
            x = Avx.LoadVector256(c + 5 * V);
            a2 = Fma.MultiplyAdd(x, w1, a2); a1 = Fma.MultiplyAdd(x, w3, a1);
            x = Avx.LoadVector256(c + 6 * V);
            a3 = Fma.MultiplyAdd(x, w0, a3); a2 = Fma.MultiplyAdd(x, w2, a2); a1 = Fma.MultiplyAdd(x, w4, a1);
            x = Avx.LoadVector256(c + 7 * V);
            a3 = Fma.MultiplyAdd(x, w1, a3); a2 = Fma.MultiplyAdd(x, w3, a2);
            x = Avx.LoadVector256(c + 8 * V);
            a4 = Fma.MultiplyAdd(x, w0, a4); a3 = Fma.MultiplyAdd(x, w2, a3); a2 = Fma.MultiplyAdd(x, w4, a2);
            x = Avx.LoadVector256(c + 9 * V);
            a4 = Fma.MultiplyAdd(x, w1, a4); a3 = Fma.MultiplyAdd(x, w3, a3);
            x = Avx.LoadVector256(c + 10 * V);
            a5 = Fma.MultiplyAdd(x, w0, a5); a4 = Fma.MultiplyAdd(x, w2, a4); a3 = Fma.MultiplyAdd(x, w4, a3);
            x = Avx.LoadVector256(c + 11 * V);
            a5 = Fma.MultiplyAdd(x, w1, a5); a4 = Fma.MultiplyAdd(x, w3, a4);
            x = Avx.LoadVector256(c + 12 * V);
            a6 = Fma.MultiplyAdd(x, w0, a6); a5 = Fma.MultiplyAdd(x, w2, a5); a4 = Fma.MultiplyAdd(x, w4, a4);
            x = Avx.LoadVector256(c + 13 * V);
            a6 = Fma.MultiplyAdd(x, w1, a6); a5 = Fma.MultiplyAdd(x, w3, a5);
            x = Avx.LoadVector256(c + 14 * V);
            a7 = Fma.MultiplyAdd(x, w0, a7); a6 = Fma.MultiplyAdd(x, w2, a6); a5 = Fma.MultiplyAdd(x, w4, a5);
            x = Avx.LoadVector256(c + 15 * V);
            a7 = Fma.MultiplyAdd(x, w1, a7); a6 = Fma.MultiplyAdd(x, w3, a6);
            x = Avx.LoadVector256(c + 16 * V);
            a7 = Fma.MultiplyAdd(x, w2, a7); a6 = Fma.MultiplyAdd(x, w4, a6);
            x = Avx.LoadVector256(c + 17 * V);
            a7 = Fma.MultiplyAdd(x, w3, a7);
            x = Avx.LoadVector256(c + 18 * V);
            a7 = Fma.MultiplyAdd(x, w4, a7);
        }
        Store(o, a0, a1, a2, a3, a4, a5, a6, a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* o, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        Avx.Store(o, a0); Avx.Store(o + V, a1); Avx.Store(o + 2 * V, a2); Avx.Store(o + 3 * V, a3);
        Avx.Store(o + 4 * V, a4); Avx.Store(o + 5 * V, a5); Avx.Store(o + 6 * V, a6); Avx.Store(o + 7 * V, a7);
    }
}
