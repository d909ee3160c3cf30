using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>
/// A collapsed iteration shape of up to <see cref="MaxRank"/> dimensions with up to three operand stride sets, passed
/// to kernels by value (no parameter buffers). Dimensions are stored innermost first: N0 is the fastest-varying
/// size and A0/B0/C0 its strides. <see cref="Offsets"/> maps a row-major linear index to the three operand offsets.
/// </summary>
internal readonly struct StridedLayout
{
    /// <summary>Most dimensions a layout holds after collapsing.</summary>
    public const int MaxRank = 8;

    public readonly int Rank;
    public readonly int N0, N1, N2, N3, N4, N5, N6, N7;
    public readonly int A0, A1, A2, A3, A4, A5, A6, A7;
    public readonly int B0, B1, B2, B3, B4, B5, B6, B7;
    public readonly int C0, C1, C2, C3, C4, C5, C6, C7;

    /// <summary>Builds a layout from innermost-first sizes and stride sets (missing sets are zero).</summary>
    public StridedLayout(int[] n, int[]? a, int[]? b = null, int[]? c = null)
    {
        Rank = n.Length;
        static int At(int[]? v, int i) => v is not null && i < v.Length ? v[i] : 0;
        N0 = At(n, 0); N1 = At(n, 1); N2 = At(n, 2); N3 = At(n, 3); N4 = At(n, 4); N5 = At(n, 5); N6 = At(n, 6); N7 = At(n, 7);
        A0 = At(a, 0); A1 = At(a, 1); A2 = At(a, 2); A3 = At(a, 3); A4 = At(a, 4); A5 = At(a, 5); A6 = At(a, 6); A7 = At(a, 7);
        B0 = At(b, 0); B1 = At(b, 1); B2 = At(b, 2); B3 = At(b, 3); B4 = At(b, 4); B5 = At(b, 5); B6 = At(b, 6); B7 = At(b, 7);
        C0 = At(c, 0); C1 = At(c, 1); C2 = At(c, 2); C3 = At(c, 3); C4 = At(c, 4); C5 = At(c, 5); C6 = At(c, 6); C7 = At(c, 7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref int rem, int size, int sa, int sb, int sc, ref int a, ref int b, ref int c)
    {
        int q = rem / size, i = rem - q * size;
        a += i * sa; b += i * sb; c += i * sc;
        rem = q;
    }

    /// <summary>Operand offsets of row-major linear index <paramref name="index"/> (unrolled over the rank; the
    /// branches are uniform across a warp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Offsets(int index, out int a, out int b, out int c)
    {
        a = 0; b = 0; c = 0;
        if (Rank == 0) return;
        if (Rank == 1) { a = index * A0; b = index * B0; c = index * C0; return; }
        int r = index;
        Step(ref r, N0, A0, B0, C0, ref a, ref b, ref c);
        Step(ref r, N1, A1, B1, C1, ref a, ref b, ref c);
        if (Rank > 2) Step(ref r, N2, A2, B2, C2, ref a, ref b, ref c);
        if (Rank > 3) Step(ref r, N3, A3, B3, C3, ref a, ref b, ref c);
        if (Rank > 4) Step(ref r, N4, A4, B4, C4, ref a, ref b, ref c);
        if (Rank > 5) Step(ref r, N5, A5, B5, C5, ref a, ref b, ref c);
        if (Rank > 6) Step(ref r, N6, A6, B6, C6, ref a, ref b, ref c);
        if (Rank > 7) Step(ref r, N7, A7, B7, C7, ref a, ref b, ref c);
    }

    /// <summary>Offset of the first operand only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int OffsetA(int index)
    {
        Offsets(index, out int a, out _, out _);
        return a;
    }

    /// <summary>
    /// Collapses a row-major iteration shape (outermost first) with per-operand strides: size-1 dimensions are
    /// dropped and neighbours merged where every operand steps through them as one (stride[outer] =
    /// stride[inner]·size[inner]). Returns innermost-first sizes and strides; throws when more than
    /// <see cref="MaxRank"/> dimensions remain or an offset exceeds the 32-bit range the kernels index with.
    /// </summary>
    public static (int[] Sizes, int[][] Strides) Collapse(int[] shape, params long[][] strides)
    {
        var sizes = new List<long>();
        var st = strides.Select(_ => new List<long>()).ToArray();
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] < 0) throw new ArgumentException($"negative extent {shape[d]} in shape [{string.Join(",", shape)}]");
            if (shape[d] == 1) continue;
            int last = sizes.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; k < strides.Length && merge; k++) merge = strides[k][d] == st[k][last] * sizes[last];
            if (merge) sizes[last] *= shape[d];
            else
            {
                sizes.Add(shape[d]);
                for (int k = 0; k < strides.Length; k++) st[k].Add(strides[k][d]);
            }
        }
        if (sizes.Count > MaxRank)
            throw new NotSupportedException($"shape [{string.Join(",", shape)}] needs {sizes.Count} dimensions after collapsing; the ILGPU kernels take at most {MaxRank}");
        return (sizes.Select(Narrow).ToArray(), st.Select(s => s.Select(Narrow).ToArray()).ToArray());
    }

    /// <summary>Checks a value fits the kernels' 32-bit indexing.</summary>
    public static int Narrow(long v) =>
        v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new NotSupportedException($"{v} exceeds the 32-bit indexing of the ILGPU kernels");
}
