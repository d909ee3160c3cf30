using ILGPU;
using ILGPU.Runtime;
using NativeCam.Kernels.Gpu.Dense;
using NativeCam.Kernels.Gpu.Kernels;

namespace NativeCam.Kernels.Gpu;

// Convolutions run as implicit GEMMs on the tiled kernel (see ConvForwardProblem for why im2col is never stored);
// depthwise ones (one input channel per group) take direct kernels instead.
public sealed partial class IlgpuKernels
{
    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y) => Conv2d(p, x, w, bias, y, null);

    /// <inheritdoc/>
    public void Conv2d(in Conv2dParams p, IBuffer x, IBuffer w, IBuffer? bias, IBuffer y, IBuffer? residual)
    {
        var t = FloatType(x, w, bias, y, residual);
        var s = ConvShape.Of(p);
        NeedConv("x", x.Length, s.XLength); NeedConv("w", w.Length, s.WLength); NeedConv("y", y.Length, s.YLength);
        if (bias is not null) NeedConv("bias", bias.Length, s.K);
        KernelChecks.Residual(residual, y, s.YLength);
        if (s.N == 0) return;
        var e = new Epilogue(ConvEpilogue.Kind(p.Activation), p.Activation == FusedActivation.Clip ? p.ActivationMin : 0,
            p.Activation == FusedActivation.Clip ? p.ActivationMax : double.PositiveInfinity, p.ActivationAlpha);
        if (t == DType.Float32)
            ConvForward<float, F32Ops>(s, View<float>(x), View<float>(w), bias is null ? null : View<float>(bias), View<float>(y),
                residual is null ? null : View<float>(residual), e);
        else
            ConvForward<double, F64Ops>(s, View<double>(x), View<double>(w), bias is null ? null : View<double>(bias), View<double>(y),
                residual is null ? null : View<double>(residual), e);
    }

    /// <summary>The host side of a conv epilogue: activation code and its parameters.</summary>
    private readonly record struct Epilogue(int Kind, double Lo, double Hi, double Alpha);

    /// <inheritdoc/>
    public void Conv2dBackwardInput(in Conv2dParams p, IBuffer dy, IBuffer w, IBuffer dx)
    {
        var t = FloatType(dy, w, dx);
        var s = ConvShape.Of(p);
        NeedConv("dy", dy.Length, s.YLength); NeedConv("w", w.Length, s.WLength); NeedConv("dx", dx.Length, s.XLength);
        if (s.N == 0) return;
        if (t == DType.Float32) ConvBackwardInput<float, F32Ops>(s, View<float>(dy), View<float>(w), View<float>(dx));
        else ConvBackwardInput<double, F64Ops>(s, View<double>(dy), View<double>(w), View<double>(dx));
    }

    /// <inheritdoc/>
    public void Conv2dBackwardWeight(in Conv2dParams p, IBuffer x, IBuffer dy, IBuffer dw)
    {
        var t = FloatType(x, dy, dw);
        var s = ConvShape.Of(p);
        NeedConv("x", x.Length, s.XLength); NeedConv("dy", dy.Length, s.YLength); NeedConv("dw", dw.Length, s.WLength);
        if (t == DType.Float32) ConvBackwardWeight<float, F32Ops>(s, View<float>(x), View<float>(dy), View<float>(dw));
        else ConvBackwardWeight<double, F64Ops>(s, View<double>(x), View<double>(dy), View<double>(dw));
    }

    private static void NeedConv(string name, long have, long need)
    {
        if (have < need) throw new ArgumentException($"conv2d: {name} has {have} elements, needs {need}");
    }

    private void ConvForward<T, TOps>(ConvShape s, ArrayView<T> x, ArrayView<T> w, ArrayView<T>? bias, ArrayView<T> y, ArrayView<T>? residual, Epilogue e)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var o = default(TOps);
        T lo = o.From(e.Lo), hi = o.From(e.Hi), alpha = o.From(e.Alpha);
        int hasBias = bias is null ? 0 : 1, hasResidual = residual is null ? 0 : 1;
        if (s.IsDepthwise)
        {
            var args = new DepthwiseArgs<T>
            {
                X = x, Wt = w, Bias = bias ?? w, Y = y, Residual = residual ?? y, S = s, HasBias = hasBias, HasResidual = hasResidual,
                Activate = e.Kind, Lo = lo, Hi = hi, Alpha = alpha,
            };
            Kernel($"dw-forward {typeof(T).Name}", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, DepthwiseArgs<T>>(DepthwiseKernels.Forward<T, TOps>, ElementGroupSize))
                ((int)s.YLength, args);
            return;
        }
        RunTiled<T, TOps, ConvForwardProblem<T, TOps>>(new ConvForwardProblem<T, TOps>
        {
            X = x, Wt = w, Bias = bias ?? w, Y = y, Residual = residual ?? y, S = s, HasBias = hasBias, HasResidual = hasResidual,
            Activate = e.Kind, Lo = lo, Hi = hi, Alpha = alpha,
        });
    }

    private void ConvBackwardInput<T, TOps>(ConvShape s, ArrayView<T> dy, ArrayView<T> w, ArrayView<T> dx)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        if (s.IsDepthwise)
        {
            var args = new DepthwiseArgs<T> { X = dy, Wt = w, Bias = w, Y = dx, S = s };
            Kernel($"dw-backward-input {typeof(T).Name}", acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, DepthwiseArgs<T>>(DepthwiseKernels.BackwardInput<T, TOps>, ElementGroupSize))
                ((int)s.XLength, args);
            return;
        }
        RunTiled<T, TOps, ConvBackwardInputProblem<T, TOps>>(new ConvBackwardInputProblem<T, TOps> { Dy = dy, Wt = w, Dx = dx, S = s });
    }

    private void ConvBackwardWeight<T, TOps>(ConvShape s, ArrayView<T> x, ArrayView<T> dy, ArrayView<T> dw)
        where T : unmanaged where TOps : struct, IFloatOps<T>
    {
        var sum = Kernel($"slice-sum {typeof(T).Name}",
            acc => acc.LoadImplicitlyGroupedStreamKernel<Index1D, ArrayView<T>, ArrayView<T>, int>(SliceSum.Kernel<T, TOps>, ElementGroupSize));
        dw = dw.SubView(0, s.WLength);
        if (s.N == 0) { sum((int)s.WLength, dw, dw, 0); return; } // no positions: dw = 0
        if (s.IsDepthwise)
        {
            var args = new DepthwiseArgs<T> { X = x, Wt = dw, Bias = dy, Y = dw, S = s };
            Kernel($"dw-backward-weight {typeof(T).Name}", acc => acc.LoadStreamKernel<DepthwiseArgs<T>>(DepthwiseKernels.BackwardWeight<T, TOps>))
                (new KernelConfig((int)s.WLength, GpuTiles ? DepthwiseKernels.ReduceThreads : 16), args);
            return;
        }
        // The reduction runs over N·OH·OW positions while dw has few tiles: split it into slices so enough groups
        // are busy, each slice ≥ 1024 positions; partial products go to scratch, summed in slice order.
        int positions = s.N * s.OutPixels;
        long tiles = TiledGemm.Groups(s.KPG, s.ColRows, s.G, TileEdge);
        int wanted = (int)Math.Clamp(4L * Accelerator.NumMultiprocessors / Math.Max(1, tiles), 1, 64);
        int splits = Math.Max(1, Math.Min(wanted, positions / 1024));
        while (splits > 1 && splits * s.WLength > int.MaxValue) splits--;
        int slice = (positions + splits - 1) / splits;
        splits = (positions + slice - 1) / slice;
        var problem = new ConvBackwardWeightProblem<T, TOps> { X = x, Dy = dy, Out = dw, S = s, Splits = splits, SliceLength = slice };
        if (splits == 1) { RunTiled<T, TOps, ConvBackwardWeightProblem<T, TOps>>(problem); return; }
        var scratch = Kernel($"scratch {typeof(T).Name}", acc => new DeviceScratch<T>(acc));
        lock (scratch.Gate)
        {
            problem.Out = scratch.Get(splits * s.WLength);
            RunTiled<T, TOps, ConvBackwardWeightProblem<T, TOps>>(problem);
            sum((int)s.WLength, problem.Out, dw, splits);
        }
    }
}
