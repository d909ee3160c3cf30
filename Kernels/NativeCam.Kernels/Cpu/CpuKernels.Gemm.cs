using System.Numerics;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c)
    {
        switch (FloatType(a, b, c))
        {
            case DType.Float32: GemmCore(Simd, p, Host<float>(a), Host<float>(b), Host<float>(c)); break;
            default: GemmCore(Simd, p, Host<double>(a), Host<double>(b), Host<double>(c)); break;
        }
    }

    /// <summary>GEMM on host spans with an explicit SIMD path (tests run the Vector512 path emulated where the
    /// processor lacks it).</summary>
    internal unsafe void GemmCore<T>(SimdLevel simd, in GemmParams p, Span<T> a, Span<T> b, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateGemm(p, a.Length, b.Length, c.Length);
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        if (p.M <= SkinnyGemm.RowInvariantRows && p.K > 0)
        {
            // Rows go through the few-rows kernel in groups of MaxRows: each row's sums then run in one order whatever
            // M is, so a batch of images through a dense head gives each image bitwise what it gets alone.
            int lda = p.LdaOrDefault, ldb = p.LdbOrDefault, ldc = p.LdcOrDefault;
            fixed (T* pa = a, pb = b, pc = c)
                for (int i0 = 0; i0 < p.M; i0 += SkinnyGemm.MaxRows)
                {
                    var rows = p with
                    {
                        M = Math.Min(SkinnyGemm.MaxRows, p.M - i0), Lda = lda, Ldb = ldb, Ldc = ldc,
                        OffsetA = p.OffsetA + (p.TransA ? i0 : (long)i0 * lda), OffsetC = p.OffsetC + (long)i0 * ldc,
                    };
                    SkinnyGemm.Run(this, simd, rows, pa, pb, pc);
                }
            return;
        }
        var job = GemmJob<T>.Create(p.Batch, p.M, p.N, p.K, p.TransA, p.LdaOrDefault, p.LdcOrDefault,
            T.CreateChecked(p.Alpha), T.CreateChecked(p.Beta));
        fixed (T* pa = a, pb = b, pc = c)
        {
            var src = new DenseGemmSource<T>(pa + p.OffsetA, p.StrideA, pb + p.OffsetB, p.StrideB, p.LdbOrDefault, p.TransB,
                pc + p.OffsetC, p.StrideC);
            GemmDriver.Run(simd, this, job, src);
        }
    }

    /// <summary>Checks shapes, leading dimensions and that every addressed element lies inside its buffer.</summary>
    private static void ValidateGemm(in GemmParams p, long lenA, long lenB, long lenC) => KernelChecks.Gemm(p, lenA, lenB, lenC);
}
