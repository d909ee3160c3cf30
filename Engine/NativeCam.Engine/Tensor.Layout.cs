using NativeCam.Engine.Ops;
using NativeCam.Kernels;

namespace NativeCam.Engine;

/// <summary>How <see cref="Tensor.Pad(int[], PadMode, double)"/> fills the border.</summary>
public enum PadMode
{
    /// <summary>A constant value.</summary>
    Constant,
    /// <summary>Mirror without repeating the edge (ONNX reflect): [a b c] → b | a b c | b.</summary>
    Reflect,
    /// <summary>Repeat the edge element: [a b c] → a | a b c | c.</summary>
    Edge,
    /// <summary>Periodic (ONNX wrap): [a b c] → c | a b c | a.</summary>
    Wrap,
}

public sealed partial class Tensor
{
    /// <summary>Permutes the axes: output axis i is input axis <paramref name="perm"/>[i] (negative counts from the end).</summary>
    /// <param name="perm">A permutation of the rank axes.</param>
    /// <returns>[shape[perm[0]], …, shape[perm[r−1]]]</returns>
    public Tensor Permute(params int[] perm)
    {
        var p = perm.Select(a => a < 0 ? a + Rank : a).ToArray();
        Layout.CheckPermutation(p, Rank, "Permute", Shape);
        bool identity = true;
        for (int i = 0; i < p.Length; i++) identity &= p[i] == i;
        return identity ? this : new PermuteOp(p).Apply(this);
    }

    /// <summary>Swaps two axes.</summary>
    /// <returns>This shape with dims <paramref name="a"/> and <paramref name="b"/> exchanged.</returns>
    public Tensor Transpose(int a, int b)
    {
        int i = Layout.Axis(a, Rank, "Transpose", Shape), j = Layout.Axis(b, Rank, "Transpose", Shape);
        var perm = Enumerable.Range(0, Rank).ToArray();
        (perm[i], perm[j]) = (perm[j], perm[i]);
        return Permute(perm);
    }

    /// <summary>
    /// ONNX Slice: on each listed axis take indices start, start + step, … up to (not including) end. Negative starts
    /// and ends count from the end; out-of-range ones are clamped; steps may be negative (then start defaults towards
    /// the last element and end may be −dim−1 or less to run past the first). Unlisted axes are kept whole.
    /// </summary>
    /// <param name="starts">One per listed axis.</param>
    /// <param name="ends">One per listed axis (exclusive).</param>
    /// <param name="axes">The axes (default 0, 1, …, starts.Length − 1); negative counts from the end; distinct.</param>
    /// <param name="steps">Non-zero steps (default 1).</param>
    public Tensor Slice(int[] starts, int[] ends, int[]? axes = null, int[]? steps = null)
    {
        axes ??= Enumerable.Range(0, starts.Length).ToArray();
        steps ??= Enumerable.Repeat(1, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
            throw new ArgumentException($"Slice: starts ({starts.Length}), ends ({ends.Length}), axes ({axes.Length}) and steps ({steps.Length}) must have equal lengths");
        var st = new int[Rank];
        var sp = Enumerable.Repeat(1, Rank).ToArray();
        var cnt = (int[])Shape.Clone();
        var seen = new bool[Rank];
        for (int k = 0; k < axes.Length; k++)
        {
            int a = Layout.Axis(axes[k], Rank, "Slice", Shape);
            if (seen[a]) throw new ArgumentException($"Slice: axis {axes[k]} is listed twice for shape {Shapes.Format(Shape)}");
            seen[a] = true;
            if (steps[k] == 0) throw new ArgumentException($"Slice: step 0 on axis {axes[k]}");
            (st[a], cnt[a]) = Layout.OnnxSliceAxis(starts[k], ends[k], steps[k], Shape[a]);
            sp[a] = steps[k];
        }
        return SliceNormalized(st, sp, cnt);
    }

    /// <summary>The slice [start, start + length) of one (non-negative) axis.</summary>
    internal Tensor SliceAxis(int axis, int start, int length)
    {
        var st = new int[Rank];
        var cnt = (int[])Shape.Clone();
        st[axis] = length == 0 ? 0 : start;
        cnt[axis] = length;
        return SliceNormalized(st, Enumerable.Repeat(1, Rank).ToArray(), cnt);
    }

    private Tensor SliceNormalized(int[] starts, int[] steps, int[] counts)
    {
        bool whole = true;
        for (int a = 0; a < Rank; a++) whole &= counts[a] == Shape[a] && (Shape[a] == 0 || (starts[a] == 0 && steps[a] == 1));
        // a whole slice of a value is a view with its own reference to the buffer: disposing it leaves this tensor intact
        if (whole) return IsDifferentiable ? this : new ReshapeOp(Shape).Apply(this);
        return new SliceOp(Shape, starts, steps, counts).Apply(this);
    }

    /// <summary>Joins tensors along <paramref name="axis"/> (ONNX Concat); every other dim must agree.</summary>
    /// <param name="xs">One or more tensors of equal rank, dtype and backend.</param>
    /// <param name="axis">Negative counts from the end.</param>
    /// <returns>The common shape with dim <paramref name="axis"/> = Σ xs[i].Shape[axis].</returns>
    public static Tensor Concat(Tensor[] xs, int axis)
    {
        if (xs.Length == 0) throw new ArgumentException("Concat: no inputs");
        int a = Layout.Axis(axis, xs[0].Rank, "Concat", xs[0].Shape);
        ConcatOp.OutShape(xs.Select(t => t.Shape).ToArray(), a);
        return xs.Length == 1 ? xs[0] : new ConcatOp(a).Apply(xs);
    }

    /// <summary>Cuts this tensor along <paramref name="axis"/> into consecutive pieces (ONNX Split).</summary>
    /// <param name="sizes">Piece lengths (≥ 0) summing to the axis length.</param>
    /// <returns>One tensor per size, with dim <paramref name="axis"/> = sizes[i].</returns>
    public Tensor[] Split(int axis, int[] sizes)
    {
        int a = Layout.Axis(axis, Rank, "Split", Shape);
        if (sizes.Any(s => s < 0) || sizes.Sum(s => (long)s) != Shape[a])
            throw new ArgumentException($"Split: sizes [{string.Join(", ", sizes)}] do not add up to dim {Shape[a]} of axis {axis} in {Shapes.Format(Shape)}");
        var parts = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++) { parts[i] = SliceAxis(a, start, sizes[i]); start += sizes[i]; }
        return parts;
    }

    /// <summary>Constant padding (ONNX Pad, mode constant). Negative pads crop.</summary>
    /// <param name="pads">Every axis's begin count, then every axis's end count (2·rank entries).</param>
    /// <param name="value">The border value.</param>
    /// <returns>shape[a] + pads[a] + pads[a + rank] on each axis a.</returns>
    public Tensor Pad(int[] pads, double value = 0) => Pad(pads, PadMode.Constant, value);

    /// <summary>ONNX Pad with a mode. Negative pads crop first (in every mode).</summary>
    /// <param name="pads">Every axis's begin count, then every axis's end count (2·rank entries).</param>
    /// <param name="mode">Constant, reflect, edge or wrap. Reflect and wrap extend periodically when a pad exceeds the dim.</param>
    /// <param name="value">The border value of constant mode.</param>
    public Tensor Pad(int[] pads, PadMode mode, double value = 0)
    {
        int r = Rank;
        if (pads.Length != 2 * r)
            throw new ArgumentException($"Pad: {pads.Length} pads for shape {Shapes.Format(Shape)} (need {2 * r}: begins then ends)");
        var x = this;
        if (pads.Any(p => p < 0))
        {
            var starts = new int[r];
            var ends = new int[r];
            for (int a = 0; a < r; a++)
            {
                starts[a] = Math.Max(0, -pads[a]);
                ends[a] = Shape[a] - Math.Max(0, -pads[a + r]);
                if (ends[a] < starts[a])
                    throw new ArgumentException($"Pad: pads [{string.Join(", ", pads)}] crop more than the shape {Shapes.Format(Shape)}");
            }
            x = Slice(starts, ends);
        }
        var pos = pads.Select(p => Math.Max(p, 0)).ToArray();
        if (pos.All(p => p == 0)) return x;
        if (mode == PadMode.Constant) return new PadOp(pos, value).Apply(x);
        for (int a = 0; a < r; a++)
        {
            int before = pos[a], after = pos[a + r], d = x.Shape[a];
            if (before + after == 0) continue;
            if (d == 0) throw new ArgumentException($"Pad: {mode} padding of an empty axis {a} in {Shapes.Format(x.Shape)}");
            var idx = new int[d + before + after];
            for (int j = 0; j < idx.Length; j++) idx[j] = PadSource(j - before, d, mode);
            x = x.Gather(a, idx);
        }
        return x;
    }

    /// <summary>The input index that fills padded position <paramref name="i"/> (may be outside [0, d)).</summary>
    private static int PadSource(int i, int d, PadMode mode)
    {
        switch (mode)
        {
            case PadMode.Edge: return Math.Clamp(i, 0, d - 1);
            case PadMode.Wrap: return ((i % d) + d) % d;
            case PadMode.Reflect:
                if (d == 1) return 0;
                int period = 2 * (d - 1), m = ((i % period) + period) % period;
                return m < d ? m : period - m;
            default: throw new NotSupportedException($"Pad: mode {mode}");
        }
    }

    /// <summary>Gathers entries along <paramref name="axis"/> (ONNX Gather with a 1-D index); repeats allowed.</summary>
    /// <param name="axis">Negative counts from the end.</param>
    /// <param name="indices">In [−dim, dim); negative ones count from the end.</param>
    /// <returns>This shape with dim <paramref name="axis"/> replaced by indices.Length.</returns>
    public Tensor Gather(int axis, int[] indices)
    {
        int a = Layout.Axis(axis, Rank, "Gather", Shape);
        int d = Shape[a];
        var idx = new int[indices.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            int k = indices[i];
            if (k < -d || k >= d)
                throw new ArgumentException($"Gather: index {k} is outside [{-d}, {d}) on axis {axis} of shape {Shapes.Format(Shape)}");
            idx[i] = k < 0 ? k + d : k;
        }
        return new GatherAxisOp(a, idx).Apply(this);
    }

    /// <summary>Takes one entry along <paramref name="axis"/> and drops that axis (ONNX Gather with a 0-d index).</summary>
    /// <returns>This shape without dim <paramref name="axis"/>.</returns>
    public Tensor Gather(int axis, int index)
    {
        int a = Layout.Axis(axis, Rank, "Gather", Shape);
        return Gather(a, [index]).Squeeze(a);
    }

    /// <summary>ONNX Flatten: a 2-D view [Π shape[..axis], Π shape[axis..]].</summary>
    /// <param name="axis">In [−rank, rank].</param>
    public Tensor Flatten(int axis = 1)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a > Rank)
            throw new ArgumentException($"Flatten: axis {axis} is out of range [{-Rank}, {Rank}] for shape {Shapes.Format(Shape)}");
        return Reshape(Layout.Product(Shape, 0, a), Layout.Product(Shape, a, Rank));
    }

    /// <summary>Removes size-1 axes: the listed ones (each must be 1), or every size-1 axis when none are listed.</summary>
    public Tensor Squeeze(params int[] axes)
    {
        var drop = new bool[Rank];
        if (axes.Length == 0)
            for (int a = 0; a < Rank; a++) drop[a] = Shape[a] == 1;
        foreach (int axis in axes)
        {
            int a = Layout.Axis(axis, Rank, "Squeeze", Shape);
            if (Shape[a] != 1) throw new ArgumentException($"Squeeze: axis {axis} of shape {Shapes.Format(Shape)} has size {Shape[a]}, not 1");
            drop[a] = true;
        }
        return Reshape(Shape.Where((_, a) => !drop[a]).ToArray());
    }

    /// <summary>Inserts size-1 axes at the listed positions of the output (ONNX Unsqueeze; negative counts from the output's end).</summary>
    /// <returns>Rank + axes.Length dims.</returns>
    public Tensor Unsqueeze(params int[] axes)
    {
        int outRank = Rank + axes.Length;
        var isNew = new bool[outRank];
        foreach (int axis in axes)
        {
            int a = axis < 0 ? axis + outRank : axis;
            if (a < 0 || a >= outRank || isNew[a])
                throw new ArgumentException($"Unsqueeze: axes [{string.Join(", ", axes)}] are out of range or repeated for shape {Shapes.Format(Shape)} (output rank {outRank})");
            isNew[a] = true;
        }
        var shape = new int[outRank];
        for (int a = 0, k = 0; a < outRank; a++) shape[a] = isNew[a] ? 1 : Shape[k++];
        return Reshape(shape);
    }

    /// <summary>Bilinear resize with OpenCV INTER_LINEAR semantics (half-pixel centres, border replicate).</summary>
    /// <param name="outH">Output height (&gt; 0).</param>
    /// <param name="outW">Output width (&gt; 0).</param>
    /// <returns>[N, C, outH, outW] from this [N, C, H, W].</returns>
    public Tensor ResizeBilinear(int outH, int outW)
    {
        ResizeBilinearOp.Params("ResizeBilinear", Shape, outH, outW);
        return new ResizeBilinearOp(outH, outW).Apply(this);
    }
}
