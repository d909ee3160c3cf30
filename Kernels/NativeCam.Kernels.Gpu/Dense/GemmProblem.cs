using System.Runtime.CompilerServices;
using ILGPU;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu.Dense;

/// <summary>
/// The plain strided, batched, transposable GEMM of <see cref="GemmParams"/>:
/// C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b], row-major with leading dimensions; C is not read when beta is 0.
/// </summary>
internal struct GemmProblem<T, TOps> : IGemmProblem<T> where T : unmanaged where TOps : struct, IFloatOps<T>
{
    public ArrayView<T> A, B, C;
    public int Rows, Cols, Depth, Count, Lda, Ldb, Ldc, TransA, TransB, ReadC;
    public long OffsetA, OffsetB, OffsetC, StrideA, StrideB, StrideC;
    public T Alpha, Beta;

    public readonly int M => Rows;
    public readonly int N => Cols;
    public readonly int K => Depth;
    public readonly int Batch => Count;
    public readonly bool AAlongK => TransA == 0;
    public readonly bool BAlongK => TransB != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadA(int b, int m, int k) =>
        A[OffsetA + b * StrideA + (TransA != 0 ? (long)k * Lda + m : (long)m * Lda + k)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T LoadB(int b, int k, int n) =>
        B[OffsetB + b * StrideB + (TransB != 0 ? (long)n * Ldb + k : (long)k * Ldb + n)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store(int b, int m, int n, T acc)
    {
        var o = default(TOps);
        long at = OffsetC + b * StrideC + (long)m * Ldc + n;
        C[at] = ReadC != 0 ? o.MulAdd(Beta, C[at], o.Mul(Alpha, acc)) : o.Mul(Alpha, acc);
    }
}
