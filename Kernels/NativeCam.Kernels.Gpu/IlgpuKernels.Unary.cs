using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Unary(UnaryKind kind, IBuffer x, IBuffer y, double alpha = 0, double beta = 0)
    {
        if (x.Length != y.Length) throw new ArgumentException($"unary {kind}: x has {x.Length} elements, y {y.Length}");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown unary kind");
        if (kind == UnaryKind.SiluDerivative) SiluDerivativeOrder.Check(alpha);
        StridedLayout.Narrow(x.Length);
        if (kind == UnaryKind.PowScalar)
        {
            // integer and trivial exponents by multiplication (x² and 1/x are correctly rounded, like Pow)
            switch (alpha)
            {
                case 0: Fill(y, 1); return;
                case 1: kind = UnaryKind.Identity; break;
                case 2: kind = UnaryKind.Square; break;
                case -1: kind = UnaryKind.Reciprocal; break;
            }
        }
        switch (FloatType(x, y))
        {
            case DType.Float32: UnaryT<float, F32Ops>(kind, View<float>(x), View<float>(y), (float)alpha, (float)beta); break;
            default: UnaryT<double, F64Ops>(kind, View<double>(x), View<double>(y), alpha, beta); break;
        }
    }

    private void UnaryT<T, TOps>(UnaryKind kind, ArrayView<T> x, ArrayView<T> y, T a, T b)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        if (x.Length == 0) return;
        int n = (int)x.Length;
        Kernel($"unary-{typeof(T).Name}", acc => acc.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, T, T>(
            ElementwiseKernels.Unary<T, TOps>))(Spread(n), x, y, n, (int)kind, a, b);
    }
}
