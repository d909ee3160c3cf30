using System.Runtime.CompilerServices;
using System.Numerics;
using NativeCam.Kernels.Cpu.Conv;
using NativeCam.Kernels.Cpu.Gemm;

namespace NativeCam.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y) => Conv2d(p, x, w, bias, y, null);

    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y, IBuffer? residual)
    {
        var t = FloatType(x, w, bias, y, residual);
        KernelChecks.Residual(residual, y, y.Length);
        switch (t)
        {
            case DType.Float32:
                Conv2dCore(Simd, p, Host<float>(x), Host<float>(w), bias is null ? default : Host<float>(bias), bias is not null, Host<float>(y),
                    residual is null ? default : Host<float>(residual), residual is not null, ConstantArray<float>(w));
                break;
            default:
                Conv2dCore(Simd, p, Host<double>(x), Host<double>(w), bias is null ? default : Host<double>(bias), bias is not null, Host<double>(y),
                    residual is null ? default : Host<double>(residual), residual is not null, ConstantArray<double>(w));
                break;
        }
    }

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx)
    {
        switch (FloatType(dy, w, dx))
        {
            case DType.Float32: Conv2dBackwardInputCore(Simd, p, Host<float>(dy), Host<float>(w), Host<float>(dx), ConstantArray<float>(w)); break;
            default: Conv2dBackwardInputCore(Simd, p, Host<double>(dy), Host<double>(w), Host<double>(dx), ConstantArray<double>(w)); break;
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
    internal void Conv2dCore<T>(SimdLevel simd, in Conv2dParams p, Span<T> x, Span<T> w, Span<T> bias, bool hasBias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Conv2dCore(simd, p, x, w, bias, hasBias, y, default, false);

    /// <summary>The array of a buffer marked constant (its derived forms may be cached), else null.</summary>
    private static T[]? ConstantArray<T>(IBuffer b) where T : unmanaged => b is CpuBuffer<T> { IsConstant: true } c ? c.Array : null;

    /// <summary>
    /// Forward convolution with a residual, with an explicit SIMD path. <paramref name="constantWeights"/>: w's array
    /// when it never changes again; a 3×3 stride-1 convolution then runs through Winograd's F(2×2, 3×3) with the
    /// weights transformed once per array (<see cref="Winograd"/>), any other through im2col and GEMM.
    /// </summary>
    internal unsafe void Conv2dCore<T>(SimdLevel simd, in Conv2dParams p, Span<T> x, Span<T> w, Span<T> bias, bool hasBias, Span<T> y,
        Span<T> residual, bool hasResidual, T[]? constantWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(p);
        Need("x", x.Length, g.XLength); Need("w", w.Length, g.WLength); Need("y", y.Length, g.YLength);
        if (hasBias) Need("bias", bias.Length, g.K);
        if (hasResidual) Need("residual", residual.Length, g.YLength);
        if (g.N == 0) return;
        var act = Epilogue<T>.Of(p);
        fixed (T* px = x, pw = w, pb = bias, py = y, pr = residual)
        {
            T* b = hasBias ? pb : null, r = hasResidual ? pr : null;
            if (hasResidual && r == py) throw new ArgumentException("conv2d: the residual must not be y itself");
            if (g.IsDepthwise) Depthwise.Forward(this, simd, g, px, pw, b, py, act, r);
            else if (constantWeights != null && Winograd.Applies(g))
            {
                var u = WinogradWeights.Cached(constantWeights, g.K, g.C);
                fixed (T* pu = u) Winograd.Forward(this, simd, g, px, pu, b, py, act, r, u);
            }
            else if (StemStride2Rows.Applies<T>(g, simd))
                StemStride2Rows.Forward(this, g, (float*)px, (float*)pw, (float*)b, (float*)py, Unsafe.As<Epilogue<T>, Epilogue<float>>(ref act), (float*)r);
            else if (StridedPointwise.Applies(g)) StridedPointwise.Forward(this, simd, g, px, pw, b, py, act, r, constantWeights);
            else if (GatheredIm2col.Applies(g)) GatheredIm2col.Forward(this, simd, g, px, pw, b, py, act, r, constantWeights);
            else ConvGemm.Forward(this, simd, g, px, pw, b, py, act, r, constantWeights);
        }
    }

    /// <summary>Backward-input with an explicit SIMD path; with <paramref name="constantWeights"/> (w's array, never
    /// changed again) a 3×3 stride-1 case runs as the Winograd convolution of dy with the turned, transposed filters.</summary>
    internal unsafe void Conv2dBackwardInputCore<T>(SimdLevel simd, in Conv2dParams p, Span<T> dy, Span<T> w, Span<T> dx, T[]? constantWeights = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ConvGeometry(p);
        Need("dy", dy.Length, g.YLength); Need("w", w.Length, g.WLength); Need("dx", dx.Length, g.XLength);
        if (g.N == 0) return;
        fixed (T* pdy = dy, pw = w, pdx = dx)
        {
            if (g.IsDepthwise) Depthwise.BackwardInput(this, simd, g, pdy, pw, pdx);
            else if (constantWeights != null && Winograd.BackwardInput(g) is { } back)
            {
                var u = WinogradWeights.CachedBackward(constantWeights, g.K, g.C);
                fixed (T* pu = u) Winograd.Forward(this, simd, back, pdy, pu, null, pdx, default, null, u);
            }
            else ConvGemm.BackwardInput(this, simd, g, pdy, pw, pdx, constantWeights);
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
