using ILGPU;
using NativeCam.Kernels.Gpu.Dense;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Gemm(in GemmParams p, IBuffer a, IBuffer b, IBuffer c)
    {
        var t = FloatType(a, b, c);
        ValidateGemm(p, a.Length, b.Length, c.Length);
        if (p.M == 0 || p.N == 0 || p.Batch == 0) return;
        if (t == DType.Float32)
            RunTiled<float, F32Ops, GemmProblem<float, F32Ops>>(GemmOf<float, F32Ops>(p, View<float>(a), View<float>(b), View<float>(c), (float)p.Alpha, (float)p.Beta));
        else
            RunTiled<double, F64Ops, GemmProblem<double, F64Ops>>(GemmOf<double, F64Ops>(p, View<double>(a), View<double>(b), View<double>(c), p.Alpha, p.Beta));
    }

    private static GemmProblem<T, TOps> GemmOf<T, TOps>(in GemmParams p, ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, T alpha, T beta)
        where T : unmanaged where TOps : struct, IFloatOps<T> => new()
    {
        A = a, B = b, C = c, Rows = p.M, Cols = p.N, Depth = p.K, Count = p.Batch,
        Lda = p.LdaOrDefault, Ldb = p.LdbOrDefault, Ldc = p.LdcOrDefault, TransA = p.TransA ? 1 : 0, TransB = p.TransB ? 1 : 0,
        ReadC = p.Beta != 0 ? 1 : 0, OffsetA = p.OffsetA, OffsetB = p.OffsetB, OffsetC = p.OffsetC,
        StrideA = p.StrideA, StrideB = p.StrideB, StrideC = p.StrideC, Alpha = alpha, Beta = beta,
    };

    /// <summary>Checks shapes, leading dimensions and that every addressed element lies inside its buffer
    /// (the CPU backend's rules and messages).</summary>
    private static void ValidateGemm(in GemmParams p, long lenA, long lenB, long lenC) => KernelChecks.Gemm(p, lenA, lenB, lenC);
}
