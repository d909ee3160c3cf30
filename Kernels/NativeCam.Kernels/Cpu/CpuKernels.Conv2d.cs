using System.Numerics;
using NativeCam.Kernels.Cpu.Conv;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y)
    {
        switch (FloatType(x, w, bias, y))
        {
            case DType.Float32: Conv2dCore(Simd, p, Host<float>(x), Host<float>(w), bias is null ? default : Host<float>(bias), bias is not null, Host<float>(y)); break;
            default: Conv2dCore(Simd, p, Host<double>(x), Host<double>(w), bias is null ? default : Host<double>(bias), bias is not null, Host<double>(y)); break;
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx)
    {
        switch (FloatType(dy, w, dx))
        {
            case DType.Float32: Conv2dBackwardInputCore(Simd, p, Host<float>(dy), Host<float>(w), Host<float>(dx)); break;
            default: Conv2dBackwardInputCore(Simd, p, Host<double>(dy), Host<double>(w), Host<double>(dx)); break;
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw)
    {
        switch (FloatType(x, dy, dw))
        {
            case DType.Float32: Conv2dBackwardWeightCore(Simd, p, Host<float>(x), Host<float>(dy), Host<float>(dw)); break;
            default: Conv2dBackwardWeightCore(Simd, p, Host<double>(x), Host<double>(dy), Host<double>(dw)); break;
        }
    }

    /// <summary>Forward convolution with an explicit SIMD path (tests also run the emulated Vector512 path).</summary>
    internal unsafe void Conv2dCore<T>(SimdLevel simd, in Conv2dParams p, Span<T> x, Span<T> w, Span<T> bias, bool hasBias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(p);
        Need("x", x.Length, g.XLength); Need("w", w.Length, g.WLength); Need("y", y.Length, g.YLength);
        if (hasBias) Need("bias", bias.Length, g.K);
        if (g.N == 0) return;
        bool clamp = p.Activation != FusedActivation.None;
        T lo = p.Activation == FusedActivation.Clip ? T.CreateChecked(p.ActivationMin) : T.Zero;
        T hi = p.Activation == FusedActivation.Clip ? T.CreateChecked(p.ActivationMax) : T.PositiveInfinity;
        fixed (T* px = x, pw = w, pb = bias, py = y)
        {
            T* b = hasBias ? pb : null;
            if (g.IsDepthwise) Depthwise.Forward(this, simd, g, px, pw, b, py, clamp, lo, hi);
            else ConvGemm.Forward(this, simd, g, px, pw, b, py, clamp, lo, hi);
        }
    }

    /// <summary>Backward-input with an explicit SIMD path.</summary>
    internal unsafe void Conv2dBackwardInputCore<T>(SimdLevel simd, in Conv2dParams p, Span<T> dy, Span<T> w, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(p);
        Need("dy", dy.Length, g.YLength); Need("w", w.Length, g.WLength); Need("dx", dx.Length, g.XLength);
        if (g.N == 0) return;
        fixed (T* pdy = dy, pw = w, pdx = dx)
        {
            if (g.IsDepthwise) Depthwise.BackwardInput(this, simd, g, pdy, pw, pdx);
            else ConvGemm.BackwardInput(this, simd, g, pdy, pw, pdx);
        }
    }

    /// <summary>Backward-weight with an explicit SIMD path.</summary>
    internal unsafe void Conv2dBackwardWeightCore<T>(SimdLevel simd, in Conv2dParams p, Span<T> x, Span<T> dy, Span<T> dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(p);
        Need("x", x.Length, g.XLength); Need("dy", dy.Length, g.YLength); Need("dw", dw.Length, g.WLength);
        fixed (T* px = x, pdy = dy, pdw = dw)
        {
            if (g.IsDepthwise) Depthwise.BackwardWeight(this, simd, g, px, pdy, pdw);
            else ConvGemm.BackwardWeight(this, simd, g, px, pdy, pdw);
        }
    }

    private static void Need(string name, long have, long need)
    {
        if (have < need) throw new ArgumentException($"conv2d: {name} has {have} elements, needs {need}");
    }
}
