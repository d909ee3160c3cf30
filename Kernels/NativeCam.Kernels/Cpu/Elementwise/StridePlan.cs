using System.Runtime.CompilerServices;

namespace NativeCam.Kernels.Cpu.Elementwise;

/// <summary>
/// An iteration space shared by several strided operands, simplified: size-1 dims dropped and adjacent dims merged
/// wherever every operand's strides allow (s[d] = s[d+1]·shape[d+1]), so e.g. [N,C,H,W] ∘ [1,C,1,1] becomes
/// [N, C, H·W] with an inner run of H·W. Always at least rank 1.
/// </summary>
internal sealed class StridePlan
{
    /// <summary>Collapsed shape.</summary>
    public readonly int[] Shape;

    /// <summary>Collapsed strides, one array per operand.</summary>
    public readonly long[][] Strides;

    /// <summary>Element count.</summary>
    public readonly long Length;

    public int Rank => Shape.Length;

    /// <summary>The innermost dim's length.</summary>
    public int Inner => Shape[^1];

    private StridePlan(int[] shape, long[][] strides)
    {
        Shape = shape; Strides = strides; Length = Shapes.Product(shape);
    }

    /// <summary>Collapses <paramref name="shape"/> with one stride array per operand.</summary>
    public static StridePlan Create(ReadOnlySpan<int> shape, params long[][] strides)
    {
        int k = strides.Length;
        for (int j = 0; j < k; j++)
            if (strides[j].Length != shape.Length) throw new ArgumentException($"stride rank {strides[j].Length} differs from shape rank {shape.Length}");
        var dims = new List<int>();
        var st = new List<long[]>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0) throw new ArgumentException($"negative dim in shape {Shapes.Format(shape)}");
            if (shape[d] == 0) return new StridePlan([0], Enumerable.Range(0, k).Select(_ => new long[] { 0 }).ToArray());
            if (shape[d] == 1) continue;
            var s = new long[k];
            for (int j = 0; j < k; j++) s[j] = strides[j][d];
            if (dims.Count > 0)
            {
                var prev = st[^1];
                bool merge = true;
                for (int j = 0; j < k; j++) if (prev[j] != s[j] * shape[d]) { merge = false; break; }
                if (merge) { dims[^1] *= shape[d]; st[^1] = s; continue; }
            }
            dims.Add(shape[d]); st.Add(s);
        }
        if (dims.Count == 0) { dims.Add(1); st.Add(new long[k]); }
        var result = new long[k][];
        for (int j = 0; j < k; j++) result[j] = st.Select(s => s[j]).ToArray();
        return new StridePlan(dims.ToArray(), result);
    }

    /// <summary>Converts int strides to long.</summary>
    public static long[] Long(int[] s) => Array.ConvertAll(s, v => (long)v);

    /// <summary>The lowest and highest offsets operand <paramref name="j"/> reaches from <paramref name="offset"/>.</summary>
    public (long Min, long Max) Reach(int j, long offset)
    {
        long lo = offset, hi = offset;
        if (Length == 0) return (0, -1);
        for (int d = 0; d < Rank; d++)
        {
            long span = Strides[j][d] * (Shape[d] - 1);
            if (span > 0) hi += span; else lo += span;
        }
        return (lo, hi);
    }

    /// <summary>Sets <paramref name="idx"/> to the multi-index of flat position <paramref name="flat"/> and
    /// <paramref name="off"/> to each operand's offset there (relative to its base).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Seek(long flat, Span<int> idx, Span<long> off)
    {
        off.Clear();
        for (int d = Rank - 1; d >= 0; d--)
        {
            idx[d] = (int)(flat % Shape[d]);
            flat /= Shape[d];
            for (int j = 0; j < off.Length; j++) off[j] += idx[d] * Strides[j][d];
        }
    }

    /// <summary>Advances the multi-index past the end of an inner run (idx[^1] == Inner), carrying outward.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void NextRow(Span<int> idx, Span<long> off)
    {
        int r = Rank - 1;
        for (int j = 0; j < off.Length; j++) off[j] -= Strides[j][r] * Shape[r];
        idx[r] = 0;
        for (int d = r - 1; d >= 0; d--)
        {
            idx[d]++;
            for (int j = 0; j < off.Length; j++) off[j] += Strides[j][d];
            if (idx[d] < Shape[d]) return;
            for (int j = 0; j < off.Length; j++) off[j] -= Strides[j][d] * Shape[d];
            idx[d] = 0;
        }
    }
}
