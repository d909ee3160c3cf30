using System.Numerics;

namespace NativeCam.Kernels.Cpu.Gemm;

/// <summary>Dense, strided, batched operands (the <see cref="IKernels.Gemm"/> case).</summary>
internal readonly unsafe struct DenseGemmSource<T> : IGemmSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T* _a, _b, _c;
    private readonly long _strideA, _strideB, _strideC;
    private readonly nint _ldb;
    private readonly bool _transB;

    /// <summary>Operands at base pointers with batch strides (elements); B is K×N, or N×K when transposed.</summary>
    public DenseGemmSource(T* a, long strideA, T* b, long strideB, nint ldb, bool transB, T* c, long strideC)
    {
        _a = a; _b = b; _c = c;
        _strideA = strideA; _strideB = strideB; _strideC = strideC;
        _ldb = ldb; _transB = transB;
    }

    public void Locate(int batch, out T* a, out T* c, out T* bias)
    {
        a = _a + batch * _strideA;
        c = _c + batch * _strideC;
        bias = null;
    }

    /// <summary>Any width: the whole NC block is packed in one pass, each B row read as one long contiguous run
    /// (short runs across many rows defeat the prefetcher and the TLB).</summary>
    public int PackPanels => 1 << 16;

    public bool InPlaceB(int batch, int k0, out T* b, out nint ldb)
    {
        b = _transB ? null : _b + batch * _strideB + k0 * _ldb;
        ldb = _ldb;
        return !_transB;
    }

    public void PackB(int batch, int k0, int kc, int j0, int width, T* dst, int nr) =>
        Packing.PackB(_b + batch * _strideB, _ldb, _transB, k0, kc, j0, width, dst, nr);
}
