using NativeCam.Engine.Autodiff;
using NativeCam.Kernels;

namespace NativeCam.Engine.Ops;

/// <summary>
/// Batched matrix product y = op(a)·op(b), op = transpose when the flag is set: a [..., M, K] (or [..., K, M] with
/// transA), b [..., K, N] (or [..., N, K] with transB), y [..., M, N]. The batch dims (all but the last two)
/// broadcast NumPy-style. Both inputs have rank ≥ 2 (<see cref="Tensor.MatMul"/> handles 1-D operands).
/// </summary>
public sealed class MatMulOp(bool transA = false, bool transB = false) : Op
{
    /// <inheritdoc/>
    public override string Name => "MatMul";

    /// <summary>The broadcast batch shape and M, K, N of a product of operands shaped <paramref name="a"/>, <paramref name="b"/>.</summary>
    internal static (int[] Batch, int M, int K, int N) Geometry(int[] a, int[] b, bool transA, bool transB)
    {
        if (a.Length < 2 || b.Length < 2)
            throw new ArgumentException($"MatMul: operands need rank ≥ 2, got {Shapes.Format(a)} and {Shapes.Format(b)}");
        int m = transA ? a[^1] : a[^2], ka = transA ? a[^2] : a[^1];
        int kb = transB ? b[^1] : b[^2], n = transB ? b[^2] : b[^1];
        if (ka != kb)
            throw new ArgumentException($"MatMul: inner dims differ: {Shapes.Format(a)}{(transA ? "ᵀ" : "")} · {Shapes.Format(b)}{(transB ? "ᵀ" : "")} ({ka} vs {kb})");
        var batch = Broadcast.Shape(a[..^2], b[..^2], "MatMul (batch dims)");
        return (batch, m, ka, n);
    }

    /// <inheritdoc/>
    protected internal override Tensor Forward(Tensor[] x)
    {
        var (a, b) = (x[0], x[1]);
        var (batch, m, k, n) = Geometry(a.Shape, b.Shape, transA, transB);
        var y = Tensor.Empty([.. batch, m, n], a.DType, a.Backend);
        long count = Shapes.Product(batch);
        if (y.Length == 0) return y;
        if (k == 0) { a.Backend.Fill(y.Buffer, 0); return y; }

        var (aa, strideA) = Batched(a, batch);
        var (bb, strideB) = Batched(b, batch);
        GemmParams p;
        if (strideB == 0 && !transA && strideA != 0)
            p = new GemmParams(checked((int)(count * m)), n, k, TransA: false, TransB: transB); // b shared: stack a's rows into one product
        else
            p = new GemmParams(m, n, k, transA, transB, Batch: checked((int)count), StrideA: strideA, StrideB: strideB, StrideC: (long)m * n);
        a.Backend.Gemm(p, aa.Buffer, bb.Buffer, y.Buffer);
        return y;
    }

    /// <summary>The operand as a contiguous stack over <paramref name="batch"/> (stride 0 when it has no batch).</summary>
    private static (Tensor T, long Stride) Batched(Tensor t, int[] batch)
    {
        var own = t.Shape[..^2];
        long matrix = (long)t.Shape[^2] * t.Shape[^1];
        if (Shapes.Product(own) == 1) return (t, 0);
        int off = batch.Length - own.Length;
        bool full = true;
        for (int i = 0; i < batch.Length; i++)
            if ((i < off ? 1 : own[i - off]) != batch[i]) full = false;
        if (full) return (t, matrix);
        return (t.BroadcastTo([.. batch, t.Shape[^2], t.Shape[^1]]), matrix); // a plain value here: materialise the stretch
    }

    // d(op(A)·op(B)) = op(dA)·op(B) + op(A)·op(dB)  (bilinear)
    /// <inheritdoc/>
    protected internal override Tensor Jvp(Tensor[] x, Tensor y, Tensor?[] dx)
    {
        Tensor? ta = dx[0] is null ? null : new MatMulOp(transA, transB).Apply(dx[0]!, x[1]);
        Tensor? tb = dx[1] is null ? null : new MatMulOp(transA, transB).Apply(x[0], dx[1]!);
        return ta is null ? tb! : tb is null ? ta : ta + tb;
    }

    /// <summary>Most rows of A (and as many of its tangent) stacked into one product with a constant B.</summary>
    internal const int MaxStackedRows = 32;

    // a tangent of A alone (B constant, as a layer's weight): [A; dA]·op(B) = [A·op(B); dA·op(B)], one product that
    // reads B once for both (a dense layer with few rows streams its weight matrix from memory: twice the rows cost
    // about what one row costs). Each row's result does not depend on the other rows (GEMM row invariance up to
    // 2·MaxStackedRows rows), so value and tangent are exactly the separate products.
    /// <inheritdoc/>
    protected internal override (Tensor Value, Tensor Tangent)? ForwardWithTangent(Tensor[] x, Tensor?[] dx)
    {
        var (a, b) = (x[0], x[1]);
        if (dx[0] is not { } da || dx[1] is not null || transA || a.Rank != 2 || b.Rank != 2) return null;
        int m = a.Shape[0];
        if (m == 0 || m > MaxStackedRows) return null;
        var stacked = Tensor.Concat([a, da], 0);
        var both = Forward([stacked, b]);
        var result = (both.SliceAxis(0, 0, m), both.SliceAxis(0, m, m));
        stacked.Dispose(); // copies of ours that nothing else holds
        both.Dispose();
        return result;
    }

    // ⟨Ȳ, op(A)·op(B)⟩ = ⟨Ȳ·op(B)ᵀ, op(A)⟩ = ⟨op(A)ᵀ·Ȳ, op(B)⟩, each then summed over a's / b's broadcast batch dims:
    //   Ā = Ȳ·Bᵀ (plain), B·Ȳᵀ (transA), Ȳ·B (transB), Bᵀ·Ȳᵀ (both)
    //   B̄ = Aᵀ·Ȳ (plain), A·Ȳ (transA), Ȳᵀ·A (transB), Ȳᵀ·Aᵀ (both)
    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy) => Vjp(x, y, dy, [true, true]);

    /// <inheritdoc/>
    protected internal override Tensor?[] Vjp(Tensor[] x, Tensor y, Tensor dy, bool[] wanted)
    {
        var (a, b) = (x[0], x[1]);
        Tensor? ga = !wanted[0] ? null : transA ? new MatMulOp(transB, true).Apply(b, dy) : new MatMulOp(false, !transB).Apply(dy, b);
        Tensor? gb = !wanted[1] ? null : transB ? new MatMulOp(true, transA).Apply(dy, a) : new MatMulOp(!transA, false).Apply(a, dy);
        return [ga?.SumTo(a.Shape), gb?.SumTo(b.Shape)];
    }
}
