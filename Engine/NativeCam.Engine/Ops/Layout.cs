using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>Shape checks and strided-copy descriptions shared by the layout ops (permute, slice, concat, pad, gather).</summary>
internal static class Layout
{
    /// <summary>An axis in [−rank, rank) made non-negative; throws naming the op and shape otherwise.</summary>
    public static int Axis(int axis, int rank, string op, int[] shape)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentException($"{op}: axis {axis} is out of range for shape {Shapes.Format(shape)} (rank {rank})");
        return a;
    }

    /// <summary>Throws unless <paramref name="perm"/> is a permutation of 0..rank−1.</summary>
    public static void CheckPermutation(int[] perm, int rank, string op, int[] shape)
    {
        bool ok = perm.Length == rank;
        var seen = new bool[rank];
        if (ok)
            foreach (int p in perm)
            {
                if (p < 0 || p >= rank || seen[p]) { ok = false; break; }
                seen[p] = true;
            }
        if (!ok)
            throw new ArgumentException($"{op}: [{string.Join(", ", perm)}] is not a permutation of the {rank} axes of shape {Shapes.Format(shape)}");
    }

    /// <summary>The inverse permutation.</summary>
    public static int[] Inverse(int[] perm)
    {
        var inv = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
        return inv;
    }

    /// <summary>Product of dims [from, to).</summary>
    public static int Product(int[] shape, int from, int to)
    {
        long n = 1;
        for (int i = from; i < to; i++) n *= shape[i];
        return checked((int)n);
    }

    /// <summary>
    /// Checks a normalised slice of <paramref name="full"/> and describes the copy: from the full tensor into the
    /// slice (<paramref name="intoSlice"/>) or from a slice-shaped tensor into the full one.
    /// <paramref name="actual"/> is the shape of the tensor being read.
    /// </summary>
    public static StridedCopyParams SliceCopy(string op, int[] actual, int[] full, int[] starts, int[] steps, int[] counts, bool intoSlice)
    {
        int rank = full.Length;
        if (starts.Length != rank || steps.Length != rank || counts.Length != rank)
            throw new ArgumentException($"{op}: starts, steps and counts need {rank} entries for shape {Shapes.Format(full)}");
        var expected = intoSlice ? full : counts;
        if (!actual.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: input shape {Shapes.Format(actual)} differs from the expected {Shapes.Format(expected)}");
        var fullStrides = Shapes.Strides(full);
        var sliceStrides = Shapes.Strides(counts);
        long offset = 0;
        var strided = new long[rank];
        for (int a = 0; a < rank; a++)
        {
            if (steps[a] == 0) throw new ArgumentException($"{op}: step 0 on axis {a}");
            if (counts[a] < 0) throw new ArgumentException($"{op}: negative count on axis {a}");
            if (counts[a] > 0)
            {
                long last = starts[a] + (long)(counts[a] - 1) * steps[a];
                if (starts[a] < 0 || starts[a] >= full[a] || last < 0 || last >= full[a])
                    throw new ArgumentException($"{op}: axis {a} (start {starts[a]}, step {steps[a]}, count {counts[a]}) leaves shape {Shapes.Format(full)}");
                offset += starts[a] * fullStrides[a];
            }
            strided[a] = steps[a] * fullStrides[a];
        }
        return intoSlice
            ? new StridedCopyParams(counts, offset, strided, 0, sliceStrides)
            : new StridedCopyParams(counts, 0, sliceStrides, offset, strided);
    }

    /// <summary>
    /// The ONNX Slice normalisation of one axis of size <paramref name="dim"/>: negative start/end count from the end,
    /// then both are clamped ([0, dim] for positive steps, [0, dim−1] and [−1, dim−1] for negative ones).
    /// Returns the first index and the element count.
    /// </summary>
    public static (int Start, int Count) OnnxSliceAxis(long start, long end, long step, int dim)
    {
        if (dim == 0) return (0, 0);
        if (start < 0) start += dim;
        if (end < 0) end += dim;
        long count;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
            count = end > start ? (end - start + step - 1) / step : 0;
        }
        else
        {
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
            count = start > end ? (start - end + (-step) - 1) / (-step) : 0;
        }
        return count == 0 ? (0, 0) : ((int)start, (int)count);
    }
}
