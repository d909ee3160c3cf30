using NativeCam.Kernels;

namespace NativeCam.Kernels.Tests.Reference;

/// <summary>Plain float64 GEMM by definition, for checking the backends.</summary>
public static class GemmReference
{
    /// <summary>C[b] = alpha·op(A[b])·op(B[b]) + beta·C[b], in place on <paramref name="c"/>; C is not read when beta is 0.</summary>
    public static void Gemm(GemmParams p, double[] a, double[] b, double[] c)
    {
        int lda = p.LdaOrDefault, ldb = p.LdbOrDefault, ldc = p.LdcOrDefault;
        for (int bi = 0; bi < p.Batch; bi++)
        {
            long oa = p.OffsetA + bi * p.StrideA, ob = p.OffsetB + bi * p.StrideB, oc = p.OffsetC + bi * p.StrideC;
            for (int i = 0; i < p.M; i++)
            {
                for (int j = 0; j < p.N; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < p.K; k++)
                    {
                        double x = p.TransA ? a[oa + (long)k * lda + i] : a[oa + (long)i * lda + k];
                        double y = p.TransB ? b[ob + (long)j * ldb + k] : b[ob + (long)k * ldb + j];
                        sum += x * y;
                    }
                    long at = oc + (long)i * ldc + j;
                    c[at] = p.Beta == 0 ? p.Alpha * sum : p.Alpha * sum + p.Beta * c[at];
                }
            }
        }
    }

    /// <summary>Elements a buffer needs for the matrix as addressed by the parameters.</summary>
    public static long Extent(int batch, long offset, long stride, int rows, int ld) =>
        offset + (batch - 1) * stride + (long)rows * ld;
}
