using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NativeCam.Kernels.Cpu.Elementwise;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void SiluDerivativePair(int order, IBuffer x, IBuffer? a, IBuffer? dx, IBuffer? da, IBuffer y, IBuffer dy)
    {
        switch (KernelChecks.SiluDerivativePair(order, x, a, dx, da, y, dy))
        {
            case DType.Float32: SiluPairT<float>(order, x, a, dx, da, y, dy); break;
            default: SiluPairT<double>(order, x, a, dx, da, y, dy); break;
        }
    }

    private void SiluPairT<T>(int order, IBuffer xb, IBuffer? ab, IBuffer? dxb, IBuffer? dab, IBuffer yb, IBuffer dyb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // absent operands read as the (unused) x: the flags below keep them out of the sums
        T[] x = Arr<T>(xb), y = Arr<T>(yb), dy = Arr<T>(dyb);
        T[] a = ab is null ? x : Arr<T>(ab), dx = dxb is null ? x : Arr<T>(dxb), da = dab is null ? x : Arr<T>(dab);
        var p = new SiluPair.Operands<T>(order, x, a, dx, da, y, dy, dxb is not null, dab is not null);
        int n = (int)xb.Length;
        if (Simd == SimdLevel.Scalar) Chunked(n, (s, c) => SiluPair.Scalar(p, s, c));
        else if (typeof(T) == typeof(float))
        {
            var pf = (SiluPair.Operands<float>)(object)p;
            if (Use512) Chunked(n, (s, c) => SiluPair.Vector<V512F, Vector512<float>, float>(pf, s, c));
            else Chunked(n, (s, c) => SiluPair.Vector<V256F, Vector256<float>, float>(pf, s, c));
        }
        else
        {
            var pd = (SiluPair.Operands<double>)(object)p;
            if (Use512) Chunked(n, (s, c) => SiluPair.Vector<V512D, Vector512<double>, double>(pd, s, c));
            else Chunked(n, (s, c) => SiluPair.Vector<V256D, Vector256<double>, double>(pd, s, c));
        }
    }
}
