using NativeCam.Engine.Ops;
using NativeCam.Kernels;

namespace NativeCam.Engine;

/// <summary>Geometry and fused activation of <see cref="Tensor.Conv2d"/>. Pads are (top, left, bottom, right).</summary>
public sealed record Conv2dOptions(
    int StrideH = 1, int StrideW = 1,
    int PadTop = 0, int PadLeft = 0, int PadBottom = 0, int PadRight = 0,
    int DilationH = 1, int DilationW = 1, int Groups = 1,
    FusedActivation Activation = FusedActivation.None, double ActivationMin = 0, double ActivationMax = 6);

/// <summary>
/// Geometry of <see cref="Tensor.MaxPool2d"/> and <see cref="Tensor.AvgPool2d"/> (ONNX defaults: stride 1, no padding).
/// Pads are (top, left, bottom, right). <c>CountIncludePad</c> applies to average pooling only.
/// </summary>
public sealed record Pool2dOptions(
    int StrideH = 1, int StrideW = 1,
    int PadTop = 0, int PadLeft = 0, int PadBottom = 0, int PadRight = 0,
    int DilationH = 1, int DilationW = 1, bool CeilMode = false, bool CountIncludePad = false);

public sealed partial class Tensor
{
    /// <summary>
    /// Matrix product op(this)·op(other) with NumPy/ONNX broadcasting of the batch dims (all but the last two).
    /// A 1-D operand (without a transpose flag) is a row vector on the left or a column vector on the right, and its
    /// dim is dropped from the result (ONNX MatMul).
    /// </summary>
    /// <param name="other">[..., K, N] (or [..., N, K] with <paramref name="transB"/>), or [K].</param>
    /// <param name="transA">Use the transpose of this [..., K, M].</param>
    /// <param name="transB">Use the transpose of <paramref name="other"/>.</param>
    /// <returns>[batch..., M, N] with the batch dims broadcast.</returns>
    public Tensor MatMul(Tensor other, bool transA = false, bool transB = false)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: scalar operand ({Shapes.Format(Shape)} · {Shapes.Format(other.Shape)})");
        if ((Rank == 1 && transA) || (other.Rank == 1 && transB))
            throw new ArgumentException($"MatMul: a transpose flag on a 1-D operand ({Shapes.Format(Shape)} · {Shapes.Format(other.Shape)})");
        var a = Rank == 1 ? Reshape(1, Shape[0]) : this;
        var b = other.Rank == 1 ? other.Reshape(other.Shape[0], 1) : other;
        var y = new MatMulOp(transA, transB).Apply(a, b);
        if (Rank > 1 && other.Rank > 1) return y;
        var s = y.Shape.ToList();
        if (other.Rank == 1) s.RemoveAt(s.Count - 1);
        if (Rank == 1) s.RemoveAt(s.Count - 1 - (other.Rank == 1 ? 0 : 1));
        return y.Reshape([.. s]);
    }

    /// <summary>ONNX Gemm: alpha·op(a)·op(b) + beta·c, with c (optional) broadcast to the product's shape.</summary>
    /// <param name="a">[M, K] (or [K, M] with <paramref name="transA"/>).</param>
    /// <param name="b">[K, N] (or [N, K] with <paramref name="transB"/>).</param>
    /// <param name="c">Broadcastable to [M, N], or null.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of c.</param>
    /// <param name="transA">Transpose a.</param>
    /// <param name="transB">Transpose b.</param>
    /// <returns>[M, N].</returns>
    public static Tensor Gemm(Tensor a, Tensor b, Tensor? c = null, double alpha = 1, double beta = 1, bool transA = false, bool transB = false)
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"Gemm: a and b must be matrices, got {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}");
        var y = new MatMulOp(transA, transB).Apply(a, b);
        if (alpha != 1) y *= alpha;
        if (c is null || beta == 0) return y;
        var cs = Broadcast.Shape(c.Shape, y.Shape, "Gemm (c)");
        if (!cs.AsSpan().SequenceEqual(y.Shape))
            throw new ArgumentException($"Gemm: c of shape {Shapes.Format(c.Shape)} does not broadcast to {Shapes.Format(y.Shape)}");
        return y + (beta == 1 ? c : c * beta);
    }

    /// <summary>2-D convolution (cross-correlation) with optional bias and fused activation: act(conv(x, w) + bias).</summary>
    /// <param name="w">[K, C/groups, KH, KW].</param>
    /// <param name="bias">[K], or null.</param>
    /// <param name="options">Strides, pads, dilation, groups, activation (defaults: 1, 0, 1, 1, none).</param>
    /// <returns>[N, K, OH, OW] for this [N, C, H, W].</returns>
    public Tensor Conv2d(Tensor w, Tensor? bias = null, Conv2dOptions? options = null)
    {
        var p = ConvParams(Shape, w.Shape, options ?? new Conv2dOptions());
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != p.K))
            throw new ArgumentException($"Conv2d: bias has shape {Shapes.Format(bias.Shape)}, expected [{p.K}]");
        var op = new Conv2dOp(p);
        return bias is null ? op.Apply(this, w) : op.Apply(this, w, bias);
    }

    /// <summary>The kernel geometry of a convolution of x shaped <paramref name="x"/> with w shaped <paramref name="w"/>.</summary>
    internal static Conv2dParams ConvParams(int[] x, int[] w, Conv2dOptions o)
    {
        string shapes = $"x {Shapes.Format(x)}, w {Shapes.Format(w)}";
        if (x.Length != 4 || w.Length != 4) throw new ArgumentException($"Conv2d: x and w must have rank 4 ({shapes})");
        if (o.Groups < 1 || x[1] % o.Groups != 0 || w[0] % o.Groups != 0)
            throw new ArgumentException($"Conv2d: {o.Groups} groups do not divide the channels ({shapes})");
        if (w[1] != x[1] / o.Groups)
            throw new ArgumentException($"Conv2d: w has {w[1]} input channels per group, x {x[1]} / {o.Groups} groups ({shapes})");
        if (o.StrideH < 1 || o.StrideW < 1 || o.DilationH < 1 || o.DilationW < 1 || o.PadTop < 0 || o.PadLeft < 0 || o.PadBottom < 0 || o.PadRight < 0)
            throw new ArgumentException($"Conv2d: invalid options {o}");
        if (o.Activation == FusedActivation.Clip && !(o.ActivationMin < o.ActivationMax))
            throw new ArgumentException($"Conv2d: clip range [{o.ActivationMin}, {o.ActivationMax}] is empty");
        var p = new Conv2dParams(x[0], x[1], x[2], x[3], w[0], w[2], w[3], o.StrideH, o.StrideW, o.DilationH, o.DilationW,
            o.PadTop, o.PadLeft, o.PadBottom, o.PadRight, o.Groups, o.Activation, o.ActivationMin, o.ActivationMax);
        if (p.H + p.PadTop + p.PadBottom < p.DilationH * (p.KH - 1) + 1 || p.W + p.PadLeft + p.PadRight < p.DilationW * (p.KW - 1) + 1)
            throw new ArgumentException($"Conv2d: the kernel does not fit the padded input ({shapes}, {o})");
        return p;
    }

    /// <summary>2-D max pooling (padding never wins).</summary>
    /// <param name="kernelH">Window height.</param>
    /// <param name="kernelW">Window width.</param>
    /// <param name="options">Strides, pads, dilation, ceil mode (defaults: 1, 0, 1, floor).</param>
    /// <returns>[N, C, OH, OW] for this [N, C, H, W].</returns>
    public Tensor MaxPool2d(int kernelH, int kernelW, Pool2dOptions? options = null) =>
        new MaxPool2dOp(PoolParams(Shape, kernelH, kernelW, options ?? new Pool2dOptions(), "MaxPool2d")).Apply(this);

    /// <summary>2-D average pooling (divisor per <see cref="Pool2dOptions.CountIncludePad"/>).</summary>
    /// <param name="kernelH">Window height.</param>
    /// <param name="kernelW">Window width.</param>
    /// <param name="options">Strides, pads, dilation, ceil mode, count_include_pad (defaults: 1, 0, 1, floor, false).</param>
    /// <returns>[N, C, OH, OW] for this [N, C, H, W].</returns>
    public Tensor AvgPool2d(int kernelH, int kernelW, Pool2dOptions? options = null) =>
        new AvgPool2dOp(PoolParams(Shape, kernelH, kernelW, options ?? new Pool2dOptions(), "AvgPool2d")).Apply(this);

    /// <summary>Mean over the spatial axes, kept as size-1 dims (ONNX GlobalAveragePool).</summary>
    /// <returns>[N, C, 1, 1] for this [N, C, H, W] (any rank ≥ 3: every axis from 2 on is averaged).</returns>
    public Tensor GlobalAvgPool()
    {
        if (Rank < 3) throw new ArgumentException($"GlobalAvgPool: needs [N, C, spatial...], got {Shapes.Format(Shape)}");
        return Mean(Enumerable.Range(2, Rank - 2).ToArray(), keepDims: true);
    }

    /// <summary>
    /// Inference batch normalization per channel (axis 1): (x − mean)/√(var + eps)·γ + β, composed of engine ops
    /// (every statistic may itself be differentiable).
    /// </summary>
    /// <param name="gamma">[C] scale.</param>
    /// <param name="beta">[C] shift.</param>
    /// <param name="mean">[C] running mean.</param>
    /// <param name="var">[C] running variance.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>This [N, C, ...] shape.</returns>
    public Tensor BatchNorm(Tensor gamma, Tensor beta, Tensor mean, Tensor var, double eps = 1e-5)
    {
        if (Rank < 2) throw new ArgumentException($"BatchNorm: x must be [N, C, ...], got {Shapes.Format(Shape)}");
        int c = Shape[1];
        foreach (var (t, name) in new[] { (gamma, "gamma"), (beta, "beta"), (mean, "mean"), (var, "var") })
            if (t.Rank != 1 || t.Shape[0] != c)
                throw new ArgumentException($"BatchNorm: {name} has shape {Shapes.Format(t.Shape)}, expected [{c}] for x {Shapes.Format(Shape)}");
        int[] perChannel = [c, .. Enumerable.Repeat(1, Rank - 2)];
        var scale = gamma * (var + eps).Pow(-0.5); // [C]: γ/√(var + eps)
        var shift = beta - mean * scale;             // [C]: β − mean·γ/√(var + eps)
        return this * scale.Reshape(perChannel) + shift.Reshape(perChannel);
    }

    /// <summary>
    /// Layer normalization over the axes from <paramref name="axis"/> to the last: (x − μ)/√(σ² + eps)·γ + β with the
    /// mean μ and the (biased) variance σ² of those axes, composed of engine ops.
    /// </summary>
    /// <param name="axis">First normalized axis (negative counts from the end).</param>
    /// <param name="gamma">Scale broadcastable to the normalized shape x.Shape[axis..], or null.</param>
    /// <param name="beta">Shift broadcastable to the normalized shape, or null.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>This shape.</returns>
    public Tensor LayerNorm(int axis = -1, Tensor? gamma = null, Tensor? beta = null, double eps = 1e-5)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank) throw new ArgumentException($"LayerNorm: axis {axis} out of range for shape {Shapes.Format(Shape)}");
        var normalized = Shape[a..];
        foreach (var (t, name) in new[] { (gamma, "gamma"), (beta, "beta") })
            if (t is not null && (t.Rank > normalized.Length || !Broadcast.Shape(t.Shape, normalized, "LayerNorm").AsSpan().SequenceEqual(normalized)))
                throw new ArgumentException($"LayerNorm: {name} of shape {Shapes.Format(t.Shape)} does not broadcast to the normalized shape {Shapes.Format(normalized)}");
        var axes = Enumerable.Range(a, Rank - a).ToArray();
        var centered = this - Mean(axes, keepDims: true);
        var variance = centered.Square().Mean(axes, keepDims: true);
        var y = centered * (variance + eps).Pow(-0.5);
        if (gamma is not null) y *= gamma;
        if (beta is not null) y += beta;
        return y;
    }

    private static Pool2dParams PoolParams(int[] x, int kh, int kw, Pool2dOptions o, string op)
    {
        if (x.Length != 4) throw new ArgumentException($"{op}: x must be [N, C, H, W], got {Shapes.Format(x)}");
        var p = new Pool2dParams(x[0], x[1], x[2], x[3], kh, kw, o.StrideH, o.StrideW, o.DilationH, o.DilationW,
            o.PadTop, o.PadLeft, o.PadBottom, o.PadRight, o.CeilMode, o.CountIncludePad);
        Pool2d.Check(p, x, op);
        return p;
    }
}
