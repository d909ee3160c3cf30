using System.Numerics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>
/// Where one batched GEMM's operands live. A and C are dense (see <see cref="GemmJob{T}"/>); B is produced by
/// <see cref="PackB"/>, so B can be a dense matrix or an implicit im2col view of an image.
/// </summary>
internal unsafe interface IGemmSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Pointers of batch item <paramref name="batch"/>: A, C and the per-row bias of C (null for none).</summary>
    void Locate(int batch, out T* a, out T* c, out T* bias);

    /// <summary>
    /// Packs B[k0..k0+kc, j0..j0+width) of batch item <paramref name="batch"/> as ⌈width/nr⌉ (at most
    /// <see cref="PackPanels"/>) consecutive NR-wide panels: dst[p·kc·nr + k·nr + j] = B(k0 + k, j0 + p·nr + j),
    /// zero past width.
    /// </summary>
    void PackB(int batch, int k0, int kc, int j0, int width, T* dst, int nr);

    /// <summary>
    /// Where B's rows k0.. of batch item <paramref name="batch"/> can be read in place, <paramref name="ldb"/> apart
    /// with contiguous columns (a dense, untransposed B; a pointwise convolution's input), or false.
    /// </summary>
    bool InPlaceB(int batch, int k0, out T* b, out nint ldb);

    /// <summary>Most NR-wide panels one <see cref="PackB"/> call may pack (at most <see cref="GemmDriver.MaxPackPanels"/>
    /// unless the source takes any width).</summary>
    int PackPanels { get; }
}

/// <summary>Shape and scalars of a batched GEMM: C[b] = act(alpha·op(A[b])·B[b] + beta·C[b] + bias[b] + residual[b]).</summary>
internal struct GemmJob<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Batch items.</summary>
    public int Batch;
    /// <summary>Rows of op(A) and C.</summary>
    public int M;
    /// <summary>Columns of B and C.</summary>
    public int N;
    /// <summary>Inner dimension.</summary>
    public int K;
    /// <summary>A stored transposed (K×M).</summary>
    public bool TransA;
    /// <summary>Leading dimension of A as stored.</summary>
    public nint Lda;
    /// <summary>Leading dimension of C.</summary>
    public nint Ldc;
    /// <summary>Product scale.</summary>
    public T Alpha;
    /// <summary>Scale of the previous C; zero means C is not read.</summary>
    public T Beta;
    /// <summary>The fused activation of the result.</summary>
    public Epilogue<T> Act;
    /// <summary>The SIMD path (for activations applied after the store).</summary>
    public SimdLevel Simd;
    /// <summary>Whether C[b] also adds a residual shaped like C, at C[b] + <see cref="Residual"/>.</summary>
    public bool HasResidual;
    /// <summary>Offset in elements from C to the residual.</summary>
    public nint Residual;
    /// <summary>A's array (T[]) when A is constant (a layer's weights marked constant, Winograd's transformed
    /// weights): batch item b's A starts at b·<see cref="ConstantAStride"/> of the array (0: one A for every item). The
    /// driver then uses its <see cref="PrepackedA"/> panels.</summary>
    public object? ConstantA;
    /// <summary>Elements between the batch items' A in <see cref="ConstantA"/> (0: the same A for all).</summary>
    public long ConstantAStride;

    /// <summary>A plain job: alpha, beta, no clamp.</summary>
    public static GemmJob<T> Create(int batch, int m, int n, int k, bool transA, nint lda, nint ldc, T alpha, T beta) =>
        new() { Batch = batch, M = m, N = n, K = k, TransA = transA, Lda = lda, Ldc = ldc, Alpha = alpha, Beta = beta };
}
