using ILGPU;

namespace NativeCam.Kernels.Gpu.Kernels;

/// <summary>Strided copies, gathers and scatter-adds: grid-stride loops over elements (over columns for the axis scatter).</summary>
internal static class CopyKernels
{
    /// <summary>dst[dstOffset + B·i] = src[srcOffset + A·i] for every index i of the layout.</summary>
    public static void Strided<T>(ArrayView<T> src, ArrayView<T> dst, int n, StridedLayout l, int srcOffset, int dstOffset)
        where T : unmanaged
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            l.Offsets(i, out int s, out int d, out _);
            dst[dstOffset + d] = src[srcOffset + s];
        }
    }

    /// <summary>Marks the smallest position whose index lies outside [0, bound) (result[0] starts at int.MaxValue).</summary>
    public static void FirstBadIndex(ArrayView<int> index, int n, int bound, ArrayView<int> result)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            int v = index[i];
            if (v < 0 || v >= bound) Atomic.Min(ref result[0], i);
        }
    }

    public static void GatherFlat<T>(ArrayView<T> x, ArrayView<int> index, ArrayView<T> y, int n) where T : unmanaged
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[index[i]];
    }

    // Scatter-adds combine duplicates with atomics, so float sums of duplicates are added in a scheduling-dependent
    // order (results may differ in the last bits between runs; the CPU kernels add in index order).
    public static void ScatterAddFlatF32(ArrayView<float> x, ArrayView<int> index, ArrayView<float> y, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) Atomic.Add(ref y[index[i]], x[i]);
    }

    public static void ScatterAddFlatF64(ArrayView<double> x, ArrayView<int> index, ArrayView<double> y, int n)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) Atomic.Add(ref y[index[i]], x[i]);
    }

    /// <summary>small[o, m, i] = big[o, index[m], i]; thread j is the small element (o, m, i) in row-major order.</summary>
    public static void GatherAxis<T>(ArrayView<T> big, ArrayView<int> index, ArrayView<T> small, int n, int axis, int count, int inner)
        where T : unmanaged
    {
        for (int j = GridStride.Start; j < n; j += GridStride.Step)
        {
            int i = j % inner, om = j / inner, m = om % count, o = om / count;
            small[j] = big[(o * axis + index[m]) * inner + i];
        }
    }

    /// <summary>
    /// big[o, index[m], i] += small[o, m, i] for every m, in order: thread j owns column (o, i) = (j / inner, j % inner)
    /// across all m, so duplicate indices never race and the sums are deterministic (and equal to the CPU's order).
    /// </summary>
    public static void ScatterAddAxis<T, TOps>(ArrayView<T> small, ArrayView<int> index, ArrayView<T> big, int columns, int axis, int count, int inner)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var ops = default(TOps);
        for (int j = GridStride.Start; j < columns; j += GridStride.Step)
        {
            int i = j % inner, o = j / inner;
            for (int m = 0; m < count; m++)
            {
                int at = (o * axis + index[m]) * inner + i;
                big[at] = ops.Add(big[at], small[(o * count + m) * inner + i]);
            }
        }
    }
}
