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
        if (p.M <= SkinnyGemm.MaxRows && p.K > 0)
        {
            fixed (T* pa = a, pb = b, pc = c) SkinnyGemm.Run(this, simd, p, pa, pb, pc);
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
    private static void ValidateGemm(in GemmParams p, long lenA, long lenB, long lenC)
    {
        if (p.M < 0 || p.N < 0 || p.K < 0 || p.Batch < 0)
            throw new ArgumentException($"gemm: negative size (M {p.M}, N {p.N}, K {p.K}, batch {p.Batch})");
        if (p.StrideA < 0 || p.StrideB < 0 || p.StrideC < 0 || p.OffsetA < 0 || p.OffsetB < 0 || p.OffsetC < 0)
            throw new ArgumentException("gemm: strides and offsets must be ≥ 0");
        int aRows = p.TransA ? p.K : p.M, aCols = p.TransA ? p.M : p.K;
        int bRows = p.TransB ? p.N : p.K, bCols = p.TransB ? p.K : p.N;
        Check("A", p.Batch, aRows, aCols, p.LdaOrDefault, p.OffsetA, p.StrideA, lenA);
        Check("B", p.Batch, bRows, bCols, p.LdbOrDefault, p.OffsetB, p.StrideB, lenB);
        Check("C", p.Batch, p.M, p.N, p.LdcOrDefault, p.OffsetC, p.StrideC, lenC);

        static void Check(string name, int batch, int rows, int cols, int ld, long offset, long stride, long length)
        {
            if (rows == 0 || cols == 0 || batch == 0) return;
            if (ld < cols) throw new ArgumentException($"gemm: leading dimension of {name} is {ld}, below its {cols} columns");
            long last = offset + (batch - 1) * stride + (long)(rows - 1) * ld + cols - 1;
            if (last >= length) throw new ArgumentException($"gemm: {name} addresses element {last} of a buffer of {length}");
        }
    }
}
