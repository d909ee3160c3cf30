namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// A batch of products C[b] = op(A[b])·op(B[b]) seen through element accessors, so that one tiled kernel serves the
/// plain GEMM and the convolutions (whose B operand is an im2col matrix addressed on the fly). The tiled kernel asks
/// only for elements inside [0, M)×[0, K) and [0, K)×[0, N) and stores only inside [0, M)×[0, N).
/// </summary>
internal interface IGemmProblem<T> where T : unmanaged
{
    /// <summary>Rows of C.</summary>
    int M { get; }
    /// <summary>Columns of C.</summary>
    int N { get; }
    /// <summary>The reduction length.</summary>
    int K { get; }
    /// <summary>Number of independent products.</summary>
    int Batch { get; }
    /// <summary>True when elements of A adjacent along k are adjacent in memory (tiles then load k-fastest, coalesced).</summary>
    bool AAlongK { get; }
    /// <summary>True when elements of B adjacent along k are adjacent in memory.</summary>
    bool BAlongK { get; }
    /// <summary>op(A[b])[m, k].</summary>
    T LoadA(int b, int m, int k);
    /// <summary>op(B[b])[k, n].</summary>
    T LoadB(int b, int k, int n);
    /// <summary>Writes the finished dot product of row m and column n of product b (the epilogue).</summary>
    void Store(int b, int m, int n, T acc);
}
