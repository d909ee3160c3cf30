using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void ResizeBilinear(ResizeParams p, IBuffer x, IBuffer y)
    {
        ResizeCheck(p, x, y, "resize");
        if (FloatType(x, y) == DType.Float32) ResizeT<float, F32Ops>(p, View<float>(x), View<float>(y), backward: false);
        else ResizeT<double, F64Ops>(p, View<double>(x), View<double>(y), backward: false);
    }

    /// <inheritdoc/>
    public void ResizeBilinearBackward(ResizeParams p, IBuffer dy, IBuffer dx)
    {
        ResizeCheck(p, dx, dy, "resize backward");
        if (FloatType(dy, dx) == DType.Float32) ResizeT<float, F32Ops>(p, View<float>(dy), View<float>(dx), backward: true);
        else ResizeT<double, F64Ops>(p, View<double>(dy), View<double>(dx), backward: true);
    }

    private static void ResizeCheck(ResizeParams p, IBuffer x, IBuffer y, string what)
    {
        if (p.Planes < 0 || p.InH < 1 || p.InW < 1 || p.OutH < 1 || p.OutW < 1) throw new ArgumentException($"{what}: invalid {p}");
        long xl = (long)p.Planes * p.InH * p.InW, yl = (long)p.Planes * p.OutH * p.OutW;
        if (x.Length != xl) throw new ArgumentException($"{what}: input has {x.Length} elements, expected {xl}");
        if (y.Length != yl) throw new ArgumentException($"{what}: output has {y.Length} elements, expected {yl}");
        StridedLayout.Narrow(Math.Max(xl, yl));
    }

    /// <summary>Forward: a grid-stride loop over the output elements of <paramref name="to"/>; backward: over the input elements
    /// (the gather form of the adjoint).</summary>
    private void ResizeT<T, TOps>(ResizeParams p, ArrayView<T> from, ArrayView<T> to, bool backward)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        if (to.Length == 0) return;
        static double Scale(int i, int o, bool align) => align ? (o > 1 ? (double)(i - 1) / (o - 1) : 0) : (double)i / o;
        double sy = Scale(p.InH, p.OutH, p.AlignCorners), sx = Scale(p.InW, p.OutW, p.AlignCorners);
        var kernel = backward
            ? Kernel($"resize-backward-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, int, int, int, double, double, int>(
                ResizeKernels.Backward<T, TOps>))
            : Kernel($"resize-{typeof(T).Name}", a => a.LoadStreamKernel<ArrayView<T>, ArrayView<T>, int, int, int, int, int, double, double, int>(
                ResizeKernels.Forward<T, TOps>));
        int n = (int)to.Length;
        kernel(Spread(n), from, to, n, p.InH, p.InW, p.OutH, p.OutW, sy, sx, p.AlignCorners ? 1 : 0);
    }
}
