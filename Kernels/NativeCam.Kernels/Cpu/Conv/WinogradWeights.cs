using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Conv;

/// <summary>
/// The filter side of Winograd F(2×2, 3×3): U = G·g·Gᵀ for every 3×3 filter g, with
/// G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]. U is stored as 16 matrices U[e] of K×C (e = 4·i + j, i the
/// row and j the column of the 4×4 transformed filter), the A operands of the 16 GEMMs of <see cref="Winograd"/>.
/// Each transform is worked out in float64 and rounded once.
/// </summary>
internal static class WinogradWeights
{
    /// <summary>Transformed weights of constant buffers, by their array: every model built over the same decoded
    /// weights shares one transform, and it lives as long as the weights do.</summary>
    private static readonly ConditionalWeakTable<object, object> Cache = new();

    /// <summary>The same for the backward-input convolution's weights (see <see cref="CachedBackward"/>).</summary>
    private static readonly ConditionalWeakTable<object, object> BackwardCache = new();

    /// <summary>The transform of <paramref name="w"/> ([K, C, 3, 3]), computed once per array. Only for arrays that
    /// never change again (a buffer marked constant).</summary>
    public static T[] Cached<T>(T[] w, int k, int c) where T : unmanaged, IFloatingPointIeee754<T> =>
        Checked(Cache.TryGetValue(w, out var u) ? u : Make(w, k, c), w, k, c);

    /// <summary>
    /// The transform of the backward-input weights of <paramref name="w"/> ([K, C, 3, 3]): dx of a 3×3 stride-1
    /// convolution is the convolution of dy with w′[c][k][a][b] = w[k][c][2 − a][2 − b] (channels swapped, the
    /// filter turned by 180°) and the complementary padding 2 − p.
    /// </summary>
    public static T[] CachedBackward<T>(T[] w, int k, int c) where T : unmanaged, IFloatingPointIeee754<T> =>
        Checked(BackwardCache.TryGetValue(w, out var u) ? u : MakeBackward(w, k, c), w, k, c);

    // the first use of an array (kept apart so that a cache hit allocates no closure)
    private static object Make<T>(T[] w, int k, int c) where T : unmanaged, IFloatingPointIeee754<T> =>
        Cache.GetValue(w, _ => Transform(w, k, c));

    private static object MakeBackward<T>(T[] w, int k, int c) where T : unmanaged, IFloatingPointIeee754<T> =>
        BackwardCache.GetValue(w, _ => Transform<T>(TurnedTransposed(w, k, c), c, k));

    /// <summary>A cached transform, refused when it was made for another shape of the same array.</summary>
    private static T[] Checked<T>(object cached, T[] w, int k, int c)
    {
        var u = (T[])cached;
        if (u.Length != 16L * k * c)
            throw new ArgumentException($"conv2d: the constant weights of {w.Length} elements were transformed for another shape");
        return u;
    }

    private static T[] TurnedTransposed<T>(T[] w, int k, int c) where T : unmanaged
    {
        var turned = new T[checked(9L * k * c)];
        for (int ko = 0; ko < k; ko++)
            for (int ci = 0; ci < c; ci++)
                for (int a = 0; a < 9; a++)
                    turned[((long)ci * k + ko) * 9 + a] = w[((long)ko * c + ci) * 9 + 8 - a];
        return turned;
    }

    /// <summary>U[e][ko][ci] for w[ko][ci][3][3].</summary>
    public static T[] Transform<T>(ReadOnlySpan<T> w, int k, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long plane = (long)k * c;
        if (w.Length < plane * 9) throw new ArgumentException($"winograd: w has {w.Length} elements, needs {plane * 9}");
        var u = new T[checked(16 * plane)];
        Span<double> rows = stackalloc double[12];
        for (long f = 0; f < plane; f++)
        {
            var g = w.Slice((int)(f * 9), 9);
            // G·g: rows g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2
            for (int col = 0; col < 3; col++)
            {
                double g0 = double.CreateChecked(g[col]), g1 = double.CreateChecked(g[3 + col]), g2 = double.CreateChecked(g[6 + col]);
                rows[col] = g0;
                rows[3 + col] = 0.5 * (g0 + g1 + g2);
                rows[6 + col] = 0.5 * (g0 - g1 + g2);
                rows[9 + col] = g2;
            }
            // (G·g)·Gᵀ, row by row
            for (int i = 0; i < 4; i++)
            {
                double p0 = rows[3 * i], p1 = rows[3 * i + 1], p2 = rows[3 * i + 2];
                u[(4 * i + 0) * plane + f] = T.CreateChecked(p0);
                u[(4 * i + 1) * plane + f] = T.CreateChecked(0.5 * (p0 + p1 + p2));
                u[(4 * i + 2) * plane + f] = T.CreateChecked(0.5 * (p0 - p1 + p2));
                u[(4 * i + 3) * plane + f] = T.CreateChecked(p2);
            }
        }
        return u;
    }
}
