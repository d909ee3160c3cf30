using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Fill(IBuffer buffer, double value)
    {
        switch (buffer.DType)
        {
            case DType.Float32: FillT(View<float>(buffer), (float)value); break;
            case DType.Float64: FillT(View<double>(buffer), value); break;
            default: FillT(View<int>(buffer), checked((int)value)); break;
        }
    }

    private void FillT<T>(ArrayView<T> y, T value) where T : unmanaged
    {
        if (y.Length == 0) return;
        int n = StridedLayout.Narrow(y.Length);
        Kernel($"fill-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, T, int>(ElementwiseKernels.Fill))(Spread(n), y, value, n);
    }

    /// <inheritdoc/>
    public void Cast(IBuffer source, IBuffer destination)
    {
        if (source.Length != destination.Length) throw new ArgumentException("cast between buffers of different lengths");
        int n = StridedLayout.Narrow(source.Length);
        switch (source.DType, destination.DType)
        {
            case (DType.Float32, DType.Float64):
                Launch(n, "cast-f32-f64", ElementwiseKernels.FloatToDouble, View<float>(source), View<double>(destination)); break;
            case (DType.Float64, DType.Float32):
                Launch(n, "cast-f64-f32", ElementwiseKernels.DoubleToFloat, View<double>(source), View<float>(destination)); break;
            case (DType.Int32, DType.Float32):
                Launch(n, "cast-i32-f32", ElementwiseKernels.IntToFloat, View<int>(source), View<float>(destination)); break;
            case (DType.Int32, DType.Float64):
                Launch(n, "cast-i32-f64", ElementwiseKernels.IntToDouble, View<int>(source), View<double>(destination)); break;
            default:
                if (source.DType != destination.DType) throw new NotSupportedException($"cast {source.DType} → {destination.DType}");
                switch (source.DType)
                {
                    case DType.Float32: CopyT(View<float>(source), View<float>(destination)); break;
                    case DType.Float64: CopyT(View<double>(source), View<double>(destination)); break;
                    default: CopyT(View<int>(source), View<int>(destination)); break;
                }
                break;
        }
    }

    private void CopyT<T>(ArrayView<T> x, ArrayView<T> y) where T : unmanaged =>
        Launch((int)x.Length, $"copy-{typeof(T).Name}", ElementwiseKernels.Copy, x, y);

    /// <summary>Runs a grid-stride kernel of two views over n elements (nothing for n = 0).</summary>
    private void Launch<TX, TY>(int n, string key, Action<ArrayView<TX>, ArrayView<TY>, int> body, ArrayView<TX> x, ArrayView<TY> y)
        where TX : unmanaged where TY : unmanaged
    {
        if (n == 0) return;
        Kernel(key, a => a.LoadStreamKernel(body))(Spread(n), x, y, n);
    }
}
