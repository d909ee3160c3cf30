using System.Numerics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// A register-blocked GEMM micro-kernel with its cache blocking. It multiplies a packed MR×kc panel of A
/// (a[k·MR + i]) by a packed kc×NR panel of B (b[k·NR + j]) and writes the MR×NR tile through a <see cref="TileStore{T}"/>.
/// </summary>
internal unsafe interface IMicroKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of the register tile.</summary>
    static abstract int MR { get; }
    /// <summary>Columns of the register tile.</summary>
    static abstract int NR { get; }
    /// <summary>K block (packed panels of this depth stay in L1/L2).</summary>
    static abstract int KC { get; }
    /// <summary>M block (the packed A block, MC×KC, stays in L2).</summary>
    static abstract int MC { get; }
    /// <summary>N block (the packed B block, KC×NC, stays in L3).</summary>
    static abstract int NC { get; }

    /// <summary>c[i·ldc + j] ← store(Σ_k a[k·MR + i]·b[k·NR + j]) for the full MR×NR tile.</summary>
    static abstract void Run(int kc, T* a, T* b, T* c, nint ldc, in TileStore<T> st);

    /// <summary>As <see cref="Run"/> with B's rows <paramref name="ldb"/> apart: a packed panel (ldb = NR) or B in
    /// place (a dense matrix's full-width column panel, no packing). Bitwise the same as <see cref="Run"/>.</summary>
    static abstract void RunB(int kc, T* a, T* b, nint ldb, T* c, nint ldc, in TileStore<T> st);

    /// <summary>As <see cref="Run"/>, reading A unpacked: row i of the tile is a + i·lda, contiguous in k.</summary>
    static abstract void RunStrided(int kc, T* a, nint lda, T* b, T* c, nint ldc, in TileStore<T> st);

    /// <summary>
    /// The left NR/2 columns of the tile, raw, into tile[i·NR + j] (j &lt; NR/2), for edge tiles at most half full
    /// (a 7×7 map is 3 full panels and 1 column): half the work of <see cref="Run"/>. A is packed (a[k·MR + i]) or,
    /// when <paramref name="lda"/> ≠ 0, read in place (row i at a + i·lda).
    /// </summary>
    static abstract void RunHalf(int kc, T* a, nint lda, T* b, T* tile);

    /// <summary><see cref="RunHalf"/> with packed A plus column NR/2 into tile[i·NR + NR/2], summed as
    /// <see cref="ColumnTail.Run"/> sums it (bit for bit); false, doing nothing, where the kernel has no such path.</summary>
    static abstract bool TryRunHalfAndColumn(int kc, T* a, T* b, T* tile);

    /// <summary>The first <paramref name="rows"/> rows of a raw full-width tile (tile[i·NR + j]) through the store
    /// rule, as <see cref="Run"/> stores them: edge tiles short of rows only (M not a multiple of MR) store whole
    /// vectors, and their rows equal those of a full tile bit for bit.</summary>
    static abstract void StoreRows(T* tile, int rows, T* c, nint ldc, in TileStore<T> st);

    /// <summary>The whole vectors among the first <paramref name="cols"/> columns of each of <paramref name="rows"/>
    /// rows of a raw tile through the store rule, as full tiles store them; returns how many columns that was (the
    /// rest go element by element).</summary>
    static abstract int StoreLeft(T* tile, int rows, int cols, T* c, nint ldc, in TileStore<T> st);
}
