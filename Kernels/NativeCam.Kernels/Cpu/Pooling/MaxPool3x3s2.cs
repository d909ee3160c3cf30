using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeCam.Kernels.Cpu.Pooling;

/// <summary>
/// Max pooling with a 3×3 window, stride 2, no dilation and padding of at most one (ResNet's stem pool), without
/// indices: the window maximum is taken in two passes per output row, first down the three input rows for every
/// column (contiguous vectors), then across three columns of that row maximum (split into even and odd columns so
/// the stride-2 taps are contiguous), instead of nine strided taps per output. Padding is −∞, which never changes a
/// maximum. A tap replaces the running maximum a where a is not NaN and the tap is NaN or greater, as in the
/// general kernel, so NaN propagates and the values equal the general kernel's (the order of the taps differs, so
/// among NaNs or signed zeros another one may win).
/// </summary>
internal static unsafe class MaxPool3x3s2
{
    /// <summary>Output rows up to this long (the row buffers live on the stack).</summary>
    public const int MaxOutWidth = 2048;

    /// <summary>Whether the fast path serves this pool (no indices wanted, a vector path, rows that fit the stack buffers).</summary>
    public static bool Applies(in Pool2dParams p, bool max, bool indices, SimdLevel s) =>
        max && !indices && s != SimdLevel.Scalar && Vector256.IsHardwareAccelerated && p.KH == 3 && p.KW == 3 && p.StrideH == 2 && p.StrideW == 2
        && p.OW <= MaxOutWidth
        && p.DilationH == 1 && p.DilationW == 1 && p.PadTop <= 1 && p.PadLeft <= 1 && p.PadBottom <= 1 && p.PadRight <= 1;

    /// <summary>The pool over every plane, in parallel over planes (and row blocks when planes are few).</summary>
    public static void Run<T>(CpuKernels cpu, SimdLevel s, Pool2dParams p, int OH, int OW, T[] x, T[] y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = p.N * p.C, chunks = PoolMath.RowChunks(planes, OH, cpu.Threads);
        cpu.ParallelFor(planes * chunks, (long)planes * OH * OW * 9, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (it) =>
        {
            int plane = it / chunks, c = it % chunks;
            fixed (T* px = x, py = y) Rows(s, p, OH, OW, px, py, plane, c * OH / chunks, (c + 1) * OH / chunks);
        });
    }

    /// <summary>Output rows [oh0, oh1) of plane <paramref name="plane"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows<T>(SimdLevel s, in Pool2dParams p, int OH, int OW, T* x, T* y, int plane, int oh0, int oh1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = p.H, W = p.W, pt = p.PadTop, pl = p.PadLeft, L = OW + 1;
        // the row maximum in padded columns (window of ow: 2ow … 2ow + 2), then its even and odd columns
        T* m = stackalloc T[2 * L + Vector256<T>.Count];
        T* eo = stackalloc T[2 * L];
        for (int j = 0; j < 2 * L; j++) m[j] = T.NegativeInfinity;
        T* xp = x + (long)plane * H * W;
        T* yp = y + (long)plane * OH * OW;
        int w = Math.Min(W, 2 * L - pl); // input columns a window reaches
        for (int oh = oh0; oh < oh1; oh++)
        {
            int ih0 = Math.Max(0, 2 * oh - pt), ih1 = Math.Min(H, 2 * oh - pt + 3);
            T* d = m + pl;
            if (ih0 >= ih1) new Span<T>(d, w).Fill(T.NegativeInfinity);
            else
            {
                T* r0 = xp + (long)ih0 * W;
                int j = 0;
                int v = Vector256<T>.Count;
                for (; j + v <= w; j += v)
                {
                    Vector256<T> a = Vector256.Load(r0 + j);
                    for (int ih = ih0 + 1; ih < ih1; ih++) a = Take(a, Vector256.Load(r0 + (long)(ih - ih0) * W + j));
                    a.Store(d + j);
                }
                for (; j < w; j++)
                {
                    T a = r0[j];
                    for (int ih = ih0 + 1; ih < ih1; ih++) a = Take(a, r0[(long)(ih - ih0) * W + j]);
                    d[j] = a;
                }
            }
            PhaseSplit.Row(s, new ReadOnlySpan<T>(m, 2 * L), 2, L, new Span<T>(eo, 2 * L));
            T* even = eo, odd = eo + L, o = yp + (long)oh * OW;
            int k = 0;
            for (int v = Vector256<T>.Count; k + v <= OW; k += v)
                Take(Take(Vector256.Load(even + k), Vector256.Load(odd + k)), Vector256.Load(even + k + 1)).Store(o + k);
            for (; k < OW; k++) o[k] = Take(Take(even[k], odd[k]), even[k + 1]);
        }
    }

    /// <summary>The running maximum a after tap t: t where a is not NaN and t is NaN or greater.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Take<T>(Vector256<T> a, Vector256<T> t) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.AndNot(Vector256.Equals(a, a), Vector256.LessThanOrEqual(t, a)), t, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Take<T>(T a, T t) where T : unmanaged, IFloatingPointIeee754<T> => !T.IsNaN(a) && !(t <= a) ? t : a;
}
